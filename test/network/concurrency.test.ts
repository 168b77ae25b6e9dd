import { expect } from "chai";
import { call } from "../helpers/network/rpc";
import { counter, counterCreationCode } from "../helpers/network/contracts";
import { KEY1, KEY2, SIGNER1, SIGNER2, type PrivateReceipt, createGroup, randomSigner, receipt, sendPrivate } from "../helpers/network/group";
import { startTestNetwork } from "../helpers/network/network";

type Network = Awaited<ReturnType<typeof startTestNetwork>>;

/** Polls until the private receipt exists (with blockTime > 0 a send returns before its block). */
async function waitForReceipt(url: string, markerHash: string): Promise<PrivateReceipt> {
  for (;;) {
    const found = await receipt(url, markerHash);
    if (found !== null) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function groupWithCounter(url1: string, url2: string): Promise<{ groupId: string; counterAddress: string }> {
  const { groupId, markerHash } = await createGroup(url1, SIGNER1, KEY1, [KEY1, KEY2]);
  await waitForReceipt(url1, markerHash);
  const deploy = await sendPrivate({ url: url2, signer: SIGNER2, privateFrom: KEY2, groupId, to: null, data: counterCreationCode() });
  return { groupId, counterAddress: (await waitForReceipt(url2, deploy)).contractAddress! };
}

describe("network: concurrent senders never corrupt a nonce, a state or a receipt", function () {
  let network: Network;
  let url1: string, url2: string;

  before(async function () {
    network = await startTestNetwork();
    [url1, url2] = network.nodes.map((node) => node.url);
  });
  after(async () => network.stop());

  it("20 senders, 4 groups, 2 nodes at once: every transaction executes once, in order", async function () {
    const groups = await Promise.all([0, 1, 2, 3].map(() => groupWithCounter(url1, url2)));
    const senders = Array.from({ length: 20 }, () => randomSigner());
    const sends = 3;
    const hashes = await Promise.all(
      senders.map(async (signer, i) => {
        const { groupId, counterAddress } = groups[i % groups.length];
        const [url, privateFrom] = i % 2 === 0 ? [url1, KEY1] : [url2, KEY2];
        const sent: string[] = [];
        for (let n = 1; n <= sends; n++) {
          sent.push(await sendPrivate({ url, signer, privateFrom, groupId, to: counterAddress, data: counter.encodeFunctionData("set", [100 * i + n]) }));
        }
        return sent;
      }),
    );
    for (const hash of hashes.flat()) expect((await receipt(url1, hash))!.status).to.equal("0x1");
    for (const [i, signer] of senders.entries()) {
      const { groupId } = groups[i % groups.length];
      for (const url of [url1, url2]) expect(await call(url, "priv_getTransactionCount", [signer.address, groupId])).to.equal("0x" + sends.toString(16));
    }
    for (const { groupId, counterAddress } of groups) {
      const logs = await call<unknown[]>(url1, "priv_getLogs", [groupId, { address: counterAddress }]);
      expect(logs).to.have.length((senders.length / groups.length) * sends);
      expect(await call(url2, "priv_getLogs", [groupId, { address: counterAddress }])).to.deep.equal(logs);
      expect(await call(url2, "priv_debugGetStateRoot", [groupId, "latest"])).to.equal(await call(url1, "priv_debugGetStateRoot", [groupId, "latest"]));
    }
  });
});

describe("network: interval mining (blockTime 1) puts several private transactions in one block", function () {
  let network: Network;
  let url1: string, url2: string;

  before(async function () {
    network = await startTestNetwork((config) => {
      config.blockTime = 1;
    });
    [url1, url2] = network.nodes.map((node) => node.url);
  });
  after(async () => network.stop());

  it("executes a sender's consecutive nonces in one block, with logIndex per receipt and per group-block", async function () {
    const { groupId, counterAddress } = await groupWithCounter(url1, url2);
    const signer = randomSigner();
    const hashes: string[] = [];
    for (const nonce of [0, 1, 2, 3]) {
      // Each send returns at once (the marker waits in the pool), so all four usually share the next block.
      hashes.push(await sendPrivate({ url: url1, signer, privateFrom: KEY1, groupId, to: counterAddress, data: counter.encodeFunctionData("set", [nonce + 1]), nonce }));
    }
    const receipts = await Promise.all(hashes.map((hash) => waitForReceipt(url2, hash)));
    expect(receipts.map((found) => found.status)).to.deep.equal(["0x1", "0x1", "0x1", "0x1"]);
    const blocks = receipts.map((found) => found.blockNumber);
    expect(new Set(blocks).size).to.be.lessThan(4); // at least two shared a block
    for (const found of receipts) expect(found.logs.map((log) => log.logIndex)).to.deep.equal(["0x0"]);
    const logs = await call<{ blockNumber: string; logIndex: string; transactionHash: string }[]>(url1, "priv_getLogs", [groupId, { address: counterAddress }]);
    expect(logs.map((log) => log.transactionHash)).to.deep.equal(hashes);
    const expected = blocks.map((block, i) => "0x" + blocks.slice(0, i).filter((earlier) => earlier === block).length.toString(16));
    expect(logs.map((log) => log.logIndex)).to.deep.equal(expected);
    expect(BigInt(await call<string>(url2, "priv_call", [groupId, { to: counterAddress, data: counter.encodeFunctionData("value") }, "latest"]))).to.equal(4n);
  });

  it("keeps mining blocks on its own", async function () {
    const start = Number(await call<string>(url1, "eth_blockNumber"));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(Number(await call<string>(url1, "eth_blockNumber"))).to.be.greaterThan(start);
  });
});
