import { expect } from "chai";
import { Wallet } from "ethers";
import { FlexiblePrivacyGroup, PrivateTransactionDroppedError, tesseraKeyToBytes, type PrivateSigner } from "../../src";
import { FlexiblePrivacyGroupManagement__factory } from "../../typechain-types";
import { PrivateCounter__factory, type PrivateCounter } from "../../typechain-types";
import { KEY1, KEY2, KEY3, rejection, startClientNetwork, type ClientNetwork } from "../helpers/client-network";

const counterInterface = PrivateCounter__factory.createInterface();
const INCREMENT = counterInterface.encodeFunctionData("increment");
const FAIL = counterInterface.encodeFunctionData("failWithoutData");

describe("client: concurrent sends and the nonce manager, over HTTP", function () {
  let net: ClientNetwork;
  let group: FlexiblePrivacyGroup;
  let counter: PrivateCounter;
  let counterAddress: string;

  const count = (signer: PrivateSigner) =>
    signer.getAddress().then((address) => net.providers[0].getPrivateTransactionCount(address, group.privacyGroupId));

  before(async function () {
    net = await startClientNetwork();
    group = await FlexiblePrivacyGroup.create(net.signers[0], [KEY1, KEY2]);
    counter = await group.deploy(new PrivateCounter__factory(), 1_000_000);
    counterAddress = await counter.getAddress();
  });
  after(async () => net.stop());

  it("50 concurrent sends from one signer get nonces in order, without gaps or collisions, and all land", async function () {
    const signer = net.signerFor(0);
    const start = await count(signer);
    const before = await counter.value();
    const sent = await Promise.all(
      Array.from({ length: 50 }, () =>
        signer.sendTransaction(group.privacyGroupId, { to: counterAddress, data: INCREMENT }),
      ),
    );
    expect(sent.map((tx) => tx.nonce)).to.deep.equal(Array.from({ length: 50 }, (_, i) => start + i));
    const receipts = await Promise.all(sent.map((tx) => tx.wait()));
    expect(receipts.every((receipt) => receipt.outcome === "success")).to.equal(true);
    expect(await counter.value()).to.equal(before + 50n);
    expect(await count(signer)).to.equal(start + 50);
  });

  it("50 concurrent contract calls through the group's runner all land", async function () {
    const before = await counter.value();
    const responses = await Promise.all(Array.from({ length: 50 }, () => counter.increment()));
    const receipts = await Promise.all(responses.map((response) => response.wait()));
    expect(receipts.map((receipt) => receipt!.status)).to.deep.equal(Array(50).fill(1));
    expect(await counter.value()).to.equal(before + 50n);
  });

  it("50 concurrent sends from five signers on two nodes all land", async function () {
    const signers = [0, 0, 1, 1, 1].map((node) => net.signerFor(node));
    const before = await counter.value();
    const sends = signers.flatMap((signer) =>
      Array.from({ length: 10 }, () =>
        signer.sendTransaction(group.privacyGroupId, { to: counterAddress, data: INCREMENT }).then((tx) => tx.wait()),
      ),
    );
    const receipts = await Promise.all(sends);
    expect(receipts).to.have.length(50);
    expect(await counter.value()).to.equal(before + 50n);
    for (const signer of signers) expect(await count(signer)).to.equal(10);
  });

  it("a failed transaction in the middle: it alone fails by name, the signer resynchronises and the later ones land", async function () {
    const signer = net.signerFor(0);
    const before = await counter.value();
    const data = Array.from({ length: 12 }, (_, i) => (i === 3 ? FAIL : INCREMENT));
    const sent = await Promise.all(
      data.map((payload) => signer.sendTransaction(group.privacyGroupId, { to: counterAddress, data: payload })),
    );
    // Sends after the failure may already reuse its nonce: the failure can be seen while they are still being numbered.
    expect(sent.slice(0, 4).map((tx) => tx.nonce)).to.deep.equal([0, 1, 2, 3]);
    const outcomes = await Promise.allSettled(sent.map((tx) => tx.wait()));
    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(
      data.map((payload) => (payload === FAIL ? "rejected" : "fulfilled")),
    );
    expect((outcomes[3] as PromiseRejectedResult).reason).to.be.instanceOf(PrivateTransactionDroppedError);
    expect(await counter.value()).to.equal(before + 11n);
    expect(await count(signer)).to.equal(11);
    // And the next send continues from the chain's count: no gap left by the failure.
    const next = await signer.sendTransaction(group.privacyGroupId, { to: counterAddress, data: INCREMENT });
    expect(next.nonce).to.equal(11);
    await next.wait();
  });

  it("two signers on one account (two processes) collide, then resynchronise until every send lands", async function () {
    const wallet = Wallet.createRandom();
    const [first, second] = [net.signerFor(0, wallet), net.signerFor(0, wallet)];
    const before = await counter.value();
    const sends = [first, second].flatMap((signer) =>
      Array.from({ length: 4 }, () =>
        signer.sendTransaction(group.privacyGroupId, { to: counterAddress, data: INCREMENT }).then((tx) => tx.wait()),
      ),
    );
    await Promise.all(sends);
    expect(await counter.value()).to.equal(before + 8n);
    expect(await count(first)).to.equal(8);
  });
});

describe("client: a membership change racing a transaction in one block", function () {
  let net: ClientNetwork;

  before(async function () {
    net = await startClientNetwork((config) => {
      config.blockTime = 1; // markers wait for the next block, so two can share one
    });
  });
  after(async () => net.stop());

  it("the transaction sent against the old version is dropped, by name, and the member's next one lands", async function () {
    const group = await FlexiblePrivacyGroup.create(net.signers[0], [KEY1, KEY2, KEY3]);
    const asNode2 = FlexiblePrivacyGroup.at(net.signers[1], group.privacyGroupId);
    const counter = await asNode2.deploy(new PrivateCounter__factory(), 10);
    const removal = FlexiblePrivacyGroupManagement__factory.createInterface().encodeFunctionData("removeParticipant", [
      tesseraKeyToBytes(KEY3),
    ]);

    // The removal is sent first; the increment is sent before it runs, so it carries the old version.
    const remove = await net.signers[0].sendTransaction(group.privacyGroupId, {
      to: "0x000000000000000000000000000000000000007c",
      data: removal,
    });
    const increment = await counter.increment();
    const [removed, dropped] = await Promise.all([remove.wait(), rejection(increment.wait())]);
    expect(removed.outcome).to.equal("success");
    expect(dropped).to.be.instanceOf(PrivateTransactionDroppedError);
    // Both ran in one block: before it the version was the sent one; the removal before the increment changed it.
    expect((dropped as PrivateTransactionDroppedError).reason).to.equal("versionChanged");
    expect(await counter.value()).to.equal(0n);

    await (await counter.increment()).wait();
    expect(await counter.value()).to.equal(1n);
  });
});
