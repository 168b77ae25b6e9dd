import { expect } from "chai";
import { JsonRpcProvider, Wallet } from "ethers";
import {
  FlexiblePrivacyGroup,
  PrivateTransactionCancelError,
  PrivateTransactionDroppedError,
  PrivateTransactionRevertedError,
  type PrivateSigner,
  type SentPrivateTransaction,
} from "../../src";
import { PrivateCounter__factory, type PrivateCounter } from "../../typechain-types";
import { DEFAULT_NODES } from "../../src/network/defaults";
import { KEY1, KEY2, rejection, startClientNetwork, type ClientNetwork } from "../helpers/client-network";

const counterInterface = PrivateCounter__factory.createInterface();
const INCREMENT = counterInterface.encodeFunctionData("increment");

/**
 * A dropped private transaction does not use its nonce, and its marker is public: anyone can send the same
 * payload to the privacy precompile again, and it runs once the group lets it. cancel() uses up the nonce.
 */
describe("client: a dropped or reverted transaction stays valid until its nonce is used; cancel uses it", function () {
  let net: ClientNetwork;
  let group: FlexiblePrivacyGroup;
  let counter: PrivateCounter;
  let counterAddress: string;
  /** A stranger: a funded account that is in no group, sending public transactions only. */
  let stranger: Wallet;
  let publicProvider: JsonRpcProvider;

  before(async function () {
    net = await startClientNetwork();
    group = await FlexiblePrivacyGroup.create(net.signers[0], [KEY1, KEY2]);
    counter = await group.deploy(new PrivateCounter__factory(), 1_000_000);
    counterAddress = await counter.getAddress();
    publicProvider = new JsonRpcProvider(net.network.nodes[2].url, undefined, { staticNetwork: true });
    stranger = new Wallet(Wallet.createRandom().privateKey, publicProvider);
    const funder = new Wallet(DEFAULT_NODES[2].privateKey, publicProvider);
    await (await funder.sendTransaction({ to: stranger.address, value: 10n ** 18n })).wait();
  });
  after(async () => {
    publicProvider.destroy();
    await net.stop();
  });

  /** Sends an increment while the group is locked (so it is dropped), then unlocks; returns it and its error. */
  async function droppedIncrement(signer: PrivateSigner): Promise<{ sent: SentPrivateTransaction; error: unknown }> {
    await group.lock();
    try {
      const sent = await signer.sendTransaction(group.privacyGroupId, { to: counterAddress, data: INCREMENT });
      return { sent, error: await rejection(sent.wait()) };
    } finally {
      await group.unlock();
    }
  }

  /** Anyone re-sends the dropped transaction's public marker, as it stands on the chain. */
  async function revive(sent: SentPrivateTransaction): Promise<void> {
    const marker = await publicProvider.getTransaction(sent.markerHash);
    if (marker === null || marker.to === null) throw new Error(`no marker ${sent.markerHash}`);
    await (await stranger.sendTransaction({ to: marker.to, data: marker.data, gasLimit: marker.gasLimit })).wait();
  }

  it("without a cancel, a stranger revives the dropped increment after the unlock: the counter moves", async function () {
    const before = await counter.value();
    const { sent, error } = await droppedIncrement(net.signerFor(0));
    expect(error).to.be.instanceOf(PrivateTransactionDroppedError);
    await revive(sent);
    expect(await counter.value()).to.equal(before + 1n);
  });

  it("the drop's message says the transaction stays valid until its nonce is used, and names cancel", async function () {
    const { error } = await droppedIncrement(net.signerFor(0));
    expect((error as Error).message).to.include("stays valid until its nonce is used").and.to.include("cancel");
  });

  it("after cancel, the same revival changes nothing, and the signer's next send lands", async function () {
    const signer = net.signerFor(0);
    const before = await counter.value();
    const { sent } = await droppedIncrement(signer);
    const receipt = await signer.cancel(sent);
    expect(receipt?.outcome).to.equal("success");
    await revive(sent);
    expect(await counter.value()).to.equal(before);
    await (await signer.sendTransaction(group.privacyGroupId, { to: counterAddress, data: INCREMENT })).wait();
    expect(await counter.value()).to.equal(before + 1n);
  });

  it("cancels a reverted transaction too, and a second cancel finds nothing left to do", async function () {
    const signer = net.signerFor(0);
    const full = await group.deploy(new PrivateCounter__factory(), 0); // every increment reverts
    const sent = await signer.sendTransaction(group.privacyGroupId, { to: await full.getAddress(), data: INCREMENT });
    expect(await rejection(sent.wait())).to.be.instanceOf(PrivateTransactionRevertedError);
    expect((await signer.cancel(sent))?.outcome).to.equal("success");
    expect(await signer.cancel(sent)).to.equal(null);
  });

  it("with cancelOnFailure, wait() cancels a revert before it throws", async function () {
    const signer = net.signerFor(0, Wallet.createRandom(), { cancelOnFailure: true });
    const full = await group.deploy(new PrivateCounter__factory(), 0);
    const sent = await signer.sendTransaction(group.privacyGroupId, { to: await full.getAddress(), data: INCREMENT });
    expect(await rejection(sent.wait())).to.be.instanceOf(PrivateTransactionRevertedError);
    const used = await net.providers[0].getPrivateTransactionCount(await signer.getAddress(), group.privacyGroupId);
    expect(used, "the no-op used the nonce").to.equal(sent.nonce + 1);
    expect(await signer.cancel(sent), "already cancelled").to.equal(null);
  });

  it("with cancelOnFailure on a locked group, the cancel is dropped too: wait() says so, and cancel works after the unlock", async function () {
    const signer = net.signerFor(0, Wallet.createRandom(), { cancelOnFailure: true });
    const before = await counter.value();
    const { sent, error } = await droppedIncrement(signer);
    expect(error).to.be.instanceOf(PrivateTransactionCancelError);
    expect((error as Error).message).to.include("dropped too").and.to.include("unlock");
    expect((await signer.cancel(sent))?.outcome).to.equal("success");
    await revive(sent);
    expect(await counter.value()).to.equal(before);
  });

  it("refuses to cancel a transaction that succeeded, or one whose earlier nonces are unused", async function () {
    const signer = net.signerFor(0);
    const done = await signer.sendTransaction(group.privacyGroupId, { to: counterAddress, data: INCREMENT });
    await done.wait();
    const succeeded = await rejection(signer.cancel(done));
    expect(succeeded).to.be.instanceOf(PrivateTransactionCancelError);
    expect((succeeded as Error).message).to.include("it succeeded");
    const ahead = await rejection(signer.cancel({ ...done, markerHash: "0x" + "11".repeat(32), nonce: done.nonce + 3 }));
    expect(ahead).to.be.instanceOf(PrivateTransactionCancelError);
    expect((ahead as Error).message).to.include("are unused");
  });
});
