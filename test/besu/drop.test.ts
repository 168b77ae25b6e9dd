import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { Wallet } from "ethers";
import {
  FlexiblePrivacyGroup,
  GROUP_PROXY_ADDRESS,
  PrivateSigner,
  PrivateTransactionDroppedError,
  generatePrivacyGroupId,
  tesseraKeyToBytes,
} from "../../src";
import { FlexiblePrivacyGroupManagement__factory, PrivateCounter__factory, type PrivateCounter } from "../../typechain-types";
import { KEY1, KEY2, KEY3, startClientNetwork, type ClientNetwork, rejection } from "../helpers/client-network";

/** A second enclave key on node 1: a signer with it sends from node 1 as a key that is no member. */
const EXTRA = randomBytes(32).toString("base64");
const management = FlexiblePrivacyGroupManagement__factory.createInterface();
const addData = (keys: string[]) => management.encodeFunctionData("addParticipants", [keys.map(tesseraKeyToBytes)]);

/** The drop error a private transaction's wait() rejects with. */
async function dropOf(wait: Promise<unknown>): Promise<PrivateTransactionDroppedError> {
  const error = await rejection(wait);
  expect(error).to.be.instanceOf(PrivateTransactionDroppedError);
  return error as PrivateTransactionDroppedError;
}

describe("client: why a private transaction was dropped (reason, from the group's state at the marker's block)", function () {
  let net: ClientNetwork;
  let group: FlexiblePrivacyGroup;
  let counter: PrivateCounter;

  before(async function () {
    net = await startClientNetwork((config) => {
      config.nodes[0].enclaveKeys = [KEY1, EXTRA];
    });
    group = await FlexiblePrivacyGroup.create(net.signers[0], [KEY1, KEY2]);
    counter = await group.deploy(new PrivateCounter__factory(), 10);
  });
  after(async () => net.stop());

  it("locked: a call while the group is locked; the message names the reason first", async function () {
    await group.lock();
    try {
      const dropped = await dropOf((await counter.increment()).wait());
      expect(dropped.reason).to.equal("locked");
      expect(dropped.message).to.match(/^locked: the private transaction \(marker 0x[0-9a-f]{64}\) was dropped/);
      expect(dropped.message).to.contain("It stays valid until its nonce is used");
    } finally {
      await group.unlock();
    }
  });

  it("unlockedForAdd: an addParticipants to 0x…7c while the group is unlocked", async function () {
    const sent = await net.signers[0].sendTransaction(group.privacyGroupId, { to: GROUP_PROXY_ADDRESS, data: addData([KEY3]) });
    expect((await dropOf(sent.wait())).reason).to.equal("unlockedForAdd");
  });

  it("notMember: a creation sent from an enclave key its participants do not list", async function () {
    const outsider = new PrivateSigner(Wallet.createRandom(), EXTRA, net.providers[0], { timeout: 30_000 });
    const sent = await outsider.sendTransaction(generatePrivacyGroupId(), { to: GROUP_PROXY_ADDRESS, data: addData([KEY1, KEY2]) });
    expect((await dropOf(sent.wait())).reason).to.equal("notMember");
  });

  it("unknown: a revert without revert data passes every check, so no check is blamed", async function () {
    const dropped = await dropOf((await counter.failWithoutData.send()).wait());
    expect(dropped.reason).to.equal("unknown");
    expect(dropped.message).to.match(/^unknown: /).and.match(/locked/).and.match(/version/).and.match(/member/);
  });
});
