import { expect } from "chai";
import { isCallException } from "ethers";
import {
  AddMembersError,
  BesuErrorCode,
  FlexiblePrivacyGroup,
  PrivacyGroupNotFoundError,
  PrivateTransactionDroppedError,
  PrivateTransactionRevertedError,
  decideAccess,
  getPrivateContractAddress,
  type PrivateTransactionReceipt,
} from "../../src";
import {
  FlexiblePrivacyGroupManagementV2__factory,
  PrivateCounter__factory,
  type PrivateCounter,
} from "../../typechain-types";
import { KEY1, KEY2, KEY3, WALLET1, WALLET2, startClientNetwork, type ClientNetwork, rejection } from "../helpers/client-network";

describe("client: a flexible group's whole life from three nodes, over HTTP", function () {
  let net: ClientNetwork;
  let group: FlexiblePrivacyGroup; // node 1's signer, the owner
  let asNode2: FlexiblePrivacyGroup;
  let counter: PrivateCounter; // deployed by node 2's signer
  let creationBlock: number;

  before(async function () {
    net = await startClientNetwork();
  });
  after(async () => net.stop());

  it("creates a group: both members see it, the third node does not", async function () {
    group = await FlexiblePrivacyGroup.create(net.signers[0], [KEY1, KEY2]);
    asNode2 = FlexiblePrivacyGroup.at(net.signers[1], group.privacyGroupId);
    const asNode3 = FlexiblePrivacyGroup.at(net.signers[2], group.privacyGroupId);

    expect(await group.members()).to.deep.equal([KEY1, KEY2]);
    expect(await asNode2.members()).to.deep.equal([KEY1, KEY2]);
    expect(await asNode3.members()).to.deep.equal([]);
    expect(await group.owner()).to.equal(WALLET1.address);
    expect(await group.canExecute()).to.equal(true);
    expect(await group.version()).to.match(/^0x[0-9a-f]{64}$/);

    const found = await FlexiblePrivacyGroup.find(net.providers[1], [KEY2]);
    expect(found.map((g) => g.privacyGroupId)).to.include(group.privacyGroupId);
    expect(found.find((g) => g.privacyGroupId === group.privacyGroupId)!.members).to.deep.equal([KEY1, KEY2]);
    expect(await FlexiblePrivacyGroup.find(net.providers[2], [KEY3])).to.deep.equal([]);
    creationBlock = await net.providers[0].getBlockNumber();
  });

  it("deploys a TypeChain contract privately at Besu's address and calls it from both members", async function () {
    counter = await asNode2.deploy(new PrivateCounter__factory(), 4);
    const address = await counter.getAddress();
    expect(address).to.equal(getPrivateContractAddress(WALLET2.address, 0, group.privacyGroupId));
    expect(await net.providers[0].privGetCode(group.privacyGroupId, address)).to.not.equal(null);

    const tx = await counter.increment();
    const receipt = await tx.wait();
    expect(receipt!.status).to.equal(1);
    const counted = receipt!.logs.map((log) => counter.interface.parseLog(log)).find((log) => log?.name === "Counted");
    expect(counted!.args.toArray()).to.deep.equal([WALLET2.address, 1n]);

    const fromNode1 = group.attach(new PrivateCounter__factory(), address);
    expect(await fromNode1.value()).to.equal(1n);
    const second = await (await fromNode1.increment()).wait();
    expect(await counter.value()).to.equal(2n);
    // Any block tag: before the second increment the value was 1.
    expect(await fromNode1.value({ blockTag: second!.blockNumber - 1 })).to.equal(1n);
    // priv_getLogs through ethers' queryFilter.
    const events = await fromNode1.queryFilter(fromNode1.filters.Counted(), 0, "latest");
    expect(events.map((event) => event.args.value)).to.deep.equal([1n, 2n]);
  });

  it("contract events through ethers' subscriptions poll priv_getLogs", async function () {
    const seen = new Promise<bigint>((resolve) => {
      void counter.once(counter.getEvent("Counted"), (_by, value) => resolve(value));
    });
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the subscription take its starting block
    await (await counter.increment()).wait();
    expect(await seen).to.equal(await counter.value());
  });

  it("the private receipt: marker hash, status, parsed logs", async function () {
    const tx = await counter.increment();
    const receipt: PrivateTransactionReceipt = await asNode2.privateReceipt(tx);
    expect(receipt.markerHash).to.equal(tx.hash);
    expect(receipt.outcome).to.equal("success");
    expect(receipt.status).to.equal(1);
    expect(receipt.privacyGroupId).to.equal(group.privacyGroupId);
    expect(receipt.logs).to.have.length(1);
    expect(counter.interface.parseLog(receipt.logs[0])!.args.value).to.equal(4n);
    const privateTx = await net.providers[0].getPrivateTransaction(tx.hash);
    expect(privateTx!.from).to.equal(WALLET2.address);
    expect(privateTx!.privacyGroupId).to.equal(group.privacyGroupId);
    // ethers' names for Besu's gas and input.
    expect([privateTx!.to, privateTx!.nonce, privateTx!.gasLimit, privateTx!.data]).to.deep.equal([tx.to, tx.nonce, tx.gasLimit, tx.data]);
  });

  it("a revert throws the contract's custom error, from wait() and from a static call", async function () {
    const staticError = await rejection(counter.increment.staticCall());
    expect(isCallException(staticError)).to.equal(true);
    expect((staticError as { revert?: { name: string; args: unknown[] } }).revert).to.deep.include({
      name: "CounterLimitReached",
    });

    const tx = await counter.increment();
    const error = await rejection(tx.wait());
    expect(error).to.be.instanceOf(PrivateTransactionRevertedError);
    const reverted = error as PrivateTransactionRevertedError;
    expect(reverted.code).to.equal(BesuErrorCode.Reverted);
    expect(reverted.errorName).to.equal("CounterLimitReached");
    expect(reverted.args).to.deep.equal([5n, 4n]);
    expect(await counter.value()).to.equal(4n);
  });

  it("the nonce of a reverted transaction is used again, so the next one lands", async function () {
    const before = await net.providers[1].getPrivateTransactionCount(WALLET2.address, group.privacyGroupId);
    const bare = await rejection((await counter.failWithoutData.send()).wait());
    // A revert without data looks exactly like a drop: no revert reason, status 0x0.
    expect(bare).to.be.instanceOf(PrivateTransactionDroppedError);
    expect(await net.providers[1].getPrivateTransactionCount(WALLET2.address, group.privacyGroupId)).to.equal(before);
    const deployed = await asNode2.deploy(new PrivateCounter__factory(), 1);
    expect(await deployed.getAddress()).to.equal(
      getPrivateContractAddress(WALLET2.address, before, group.privacyGroupId),
    );
  });

  it("a transaction into a locked group is dropped, with a named error; unlock restores it", async function () {
    await group.lock();
    expect(await group.canExecute()).to.equal(false);
    const error = await rejection((await counter.increment.send()).wait());
    expect(error).to.be.instanceOf(PrivateTransactionDroppedError);
    expect((error as PrivateTransactionDroppedError).reason).to.equal("locked");
    expect((error as Error).message).to.match(/^locked: .*dropped/);
    await group.unlock();
    expect(await group.canExecute()).to.equal(true);
  });

  it("adds a member, who then sees the group's history; a failed add unlocks again", async function () {
    const versionBefore = await group.version();
    await group.addMembers([KEY3]);
    expect(await group.members()).to.deep.equal([KEY1, KEY2, KEY3]);
    expect(await group.version()).to.not.equal(versionBefore);
    expect(await group.canExecute()).to.equal(true);
    const asNode3 = FlexiblePrivacyGroup.at(net.signers[2], group.privacyGroupId);
    expect(await asNode3.attach(new PrivateCounter__factory(), await counter.getAddress()).value()).to.equal(4n);

    const error = await rejection(group.addMembers([KEY2]));
    expect(error).to.be.instanceOf(AddMembersError);
    expect((error as AddMembersError).unlocked).to.equal(true);
    expect((error as AddMembersError).cause).to.be.instanceOf(PrivateTransactionRevertedError);
    expect(((error as AddMembersError).cause as PrivateTransactionRevertedError).errorName).to.equal(
      "ParticipantAlreadyMember",
    );
    expect(await group.canExecute()).to.equal(true);
  });

  it("only the owner manages the group: another member's attempt reverts with the contract's error", async function () {
    const error = await rejection(asNode2.lock());
    expect(error).to.be.instanceOf(PrivateTransactionRevertedError);
    expect((error as PrivateTransactionRevertedError).errorName).to.equal("GroupUnauthorizedAccount");
  });

  it("removes a member: it no longer finds the group, and its sends are refused", async function () {
    await group.removeMember(KEY2);
    expect(await group.members()).to.have.members([KEY1, KEY3]);
    expect(await FlexiblePrivacyGroup.find(net.providers[1], [KEY2])).to.deep.equal([]);
    const error = await rejection(counter.increment());
    expect(error).to.be.instanceOf(PrivacyGroupNotFoundError);
    expect((error as PrivacyGroupNotFoundError).rpcCode).to.equal(-50100);
  });

  it("reads the membership history from priv_getLogs, ready for decideAccess", async function () {
    const history = await group.history();
    expect(history.map(({ kind, key }) => [kind, key])).to.deep.equal([
      ["added", KEY1],
      ["added", KEY2],
      ["added", KEY3],
      ["removed", KEY2],
    ]);
    expect(history[0].blockNumber).to.be.at.most(creationBlock);
    const removal = history[3].blockNumber;
    expect(decideAccess(history, KEY2, { method: "priv_call", blockNumber: removal }).allowed).to.equal(true);
    expect(decideAccess(history, KEY2, { method: "priv_call", blockNumber: removal + 1 }).allowed).to.equal(false);
  });

  it("transfers ownership in two steps", async function () {
    const asNode3 = FlexiblePrivacyGroup.at(net.signers[2], group.privacyGroupId);
    await group.transferOwnership(await net.signers[2].getAddress());
    await asNode3.acceptOwnership();
    expect(await group.owner()).to.equal(await net.signers[2].getAddress());
    await asNode3.transferOwnership(WALLET1.address);
    await group.acceptOwnership();
    expect(await group.owner()).to.equal(WALLET1.address);
  });

  it("deploys a custom management contract privately and upgrades the group to it, members kept", async function () {
    const v2 = await group.deployManagement(new FlexiblePrivacyGroupManagementV2__factory());
    expect(await group.implementation()).to.equal(await v2.getAddress());
    expect(await group.members()).to.have.members([KEY1, KEY3]);
    await group.addMembers([KEY2]);
    expect(await group.members()).to.have.members([KEY1, KEY2, KEY3]);
  });
});
