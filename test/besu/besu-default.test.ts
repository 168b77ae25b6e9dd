import { expect } from "chai";
import { artifacts } from "hardhat";
import {
  AddMembersError,
  BesuErrorCode,
  FlexiblePrivacyGroup,
  PrivateTransactionDroppedError,
  PrivateTransactionFailedError,
  PrivateTransactionRevertedError,
  tesseraKeyToBytes,
} from "../../src";
import {
  BesuDefaultManagement__factory,
  MembershipImpostor__factory,
  PrivateCounter__factory,
} from "../../typechain-types";
import { KEY1, KEY2, KEY3, WALLET1, startClientNetwork, type ClientNetwork, rejection } from "../helpers/client-network";

const MANAGEMENT = "0x000000000000000000000000000000000000007b";
const PROXY = "0x000000000000000000000000000000000000007c";
const UNKNOWN_KEY = Buffer.alloc(32, 9).toString("base64");

/** Groups run the behavioural double of Besu 25.5's default contracts instead of this project's blob. */
async function besuDefaultGenesis() {
  const management = await artifacts.readArtifact("BesuDefaultManagement");
  const proxy = await artifacts.readArtifact("BesuDefaultProxy");
  return {
    [MANAGEMENT]: { balance: "0x0", code: management.deployedBytecode, storage: {} },
    [PROXY]: {
      balance: "0x0",
      code: proxy.deployedBytecode,
      storage: { ["0x" + "00".repeat(32)]: "0x" + MANAGEMENT.slice(2).padStart(64, "0") },
    },
  };
}

describe("client: groups running Besu's default contracts (behavioural double)", function () {
  let net: ClientNetwork;
  let group: FlexiblePrivacyGroup;
  const AFTER_REMOVAL = [
    ["added", KEY1],
    ["added", KEY2],
    ["added", KEY3],
    ["removed", KEY3],
  ];
  const changes = async () => (await group.history()).map(({ kind, key }) => [kind, key]);

  before(async function () {
    const genesis = await besuDefaultGenesis();
    net = await startClientNetwork((config) => {
      config.groupGenesis = genesis;
      config.customGroupGenesis = true;
    });
  });
  after(async () => net.stop());

  it("creates a group whose ParticipantAdded logs come from 0x…7b, and reads them into history", async function () {
    group = await FlexiblePrivacyGroup.create(net.signers[0], [KEY1, KEY2]);
    expect(await group.members()).to.deep.equal([KEY1, KEY2]);
    const logs = await net.providers[0].privGetLogs(group.privacyGroupId, { fromBlock: 0 });
    expect(logs.map((log) => log.address.toLowerCase())).to.deep.equal([MANAGEMENT, MANAGEMENT]);
    expect((await group.history()).map(({ kind, key }) => [kind, key])).to.deep.equal([
      ["added", KEY1],
      ["added", KEY2],
    ]);
  });

  it("names the owner from the creating transaction, as the contract has no owner()", async function () {
    expect(await group.owner()).to.equal(WALLET1.address);
    expect(await FlexiblePrivacyGroup.at(net.signers[1], group.privacyGroupId).owner()).to.equal(WALLET1.address);
  });

  it("adds with lock then add (the add unlocks); a refused add returns false, which throws, and leaves it unlocked", async function () {
    await group.addMembers([KEY3]);
    expect(await group.members()).to.deep.equal([KEY1, KEY2, KEY3]);
    expect(await group.canExecute()).to.equal(true);

    const error = await rejection(group.addMembers([KEY2]));
    expect(error).to.be.instanceOf(AddMembersError);
    const cause = (error as AddMembersError).cause as PrivateTransactionFailedError;
    expect(cause.code).to.equal(BesuErrorCode.GroupOperationRefused);
    expect((error as AddMembersError).unlocked).to.equal(true);
    expect(await group.canExecute()).to.equal(true);
  });

  it("a refused removal returns false, which throws; a real one is logged by 0x…7c", async function () {
    const refused = await rejection(group.removeMember(UNKNOWN_KEY));
    expect((refused as PrivateTransactionFailedError).code).to.equal(BesuErrorCode.GroupOperationRefused);
    await group.removeMember(KEY3);
    expect(await group.members()).to.have.members([KEY1, KEY2]);
    expect(await changes()).to.deep.equal(AFTER_REMOVAL);
  });

  it("history ignores the same events from any other contract in the group", async function () {
    const impostor = await group.deploy(new MembershipImpostor__factory());
    await (await impostor.claimAdded(tesseraKeyToBytes(UNKNOWN_KEY))).wait();
    await (await impostor.claimRemoved(tesseraKeyToBytes(KEY1))).wait();
    expect(await changes()).to.deep.equal(AFTER_REMOVAL);
  });

  it("a non-owner's change reverts with Besu's reason string, decoded", async function () {
    const error = await rejection(FlexiblePrivacyGroup.at(net.signers[1], group.privacyGroupId).lock());
    expect(error).to.be.instanceOf(PrivateTransactionRevertedError);
    expect((error as PrivateTransactionRevertedError).errorName).to.equal("Error");
    expect((error as PrivateTransactionRevertedError).args).to.deep.equal(["Origin not the owner."]);
  });

  it("drops a contract call while locked, and an add while unlocked, and names why", async function () {
    const counter = await group.deploy(new PrivateCounter__factory(), 10);
    const add = await net.signers[0].sendTransaction(group.privacyGroupId, {
      to: PROXY,
      data: BesuDefaultManagement__factory.createInterface().encodeFunctionData("addParticipants", [[tesseraKeyToBytes(KEY3)]]),
    });
    const unlockedAdd = await rejection(add.wait());
    expect(unlockedAdd).to.be.instanceOf(PrivateTransactionDroppedError);
    expect((unlockedAdd as PrivateTransactionDroppedError).reason).to.equal("unlockedForAdd");
    await group.lock();
    const error = await rejection((await counter.increment()).wait());
    expect(error).to.be.instanceOf(PrivateTransactionDroppedError);
    expect((error as PrivateTransactionDroppedError).reason).to.equal("locked");
    await group.unlock();
    await (await counter.increment()).wait();
    expect(await counter.value()).to.equal(1n);
  });

  it("upgrades to a new management contract deployed in the group, which copies the members", async function () {
    const next = await group.deployManagement(new BesuDefaultManagement__factory());
    expect(await group.implementation()).to.equal(await next.getAddress());
    expect(await group.members()).to.deep.equal([KEY1, KEY2]);
    await group.addMembers([KEY3]);
    expect(await group.members()).to.deep.equal([KEY1, KEY2, KEY3]);
  });
});
