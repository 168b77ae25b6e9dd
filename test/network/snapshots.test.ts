import { expect } from "chai";
import { SignJWT, exportSPKI, generateKeyPair } from "jose";
import { type PrivacyNetwork, startPrivacyNetwork } from "../../src/network";
import { defaultNetworkConfig } from "../../src/network/defaults";
import { counter, counterCreationCode } from "../helpers/network/contracts";
import { KEY1, KEY2, KEY3, PROXY, SIGNER1, addData, createGroup, receipt, sendPrivate } from "../helpers/network/group";
import { startTestNetwork } from "../helpers/network/network";
import { call, post, rpcError } from "../helpers/network/rpc";
import { readEverything } from "../helpers/network/state-view";

describe("network: evm_snapshot / evm_revert cover the public chain and every node's private state", function () {
  let network: PrivacyNetwork;
  let urls: string[];
  let url1: string;
  let groupId: string;
  let contract: string;
  const markers: string[] = [];

  const setValue = async (value: number, group = groupId, to = contract) => {
    const marker = await sendPrivate({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId: group, to, data: counter.encodeFunctionData("set", [value]) });
    expect((await receipt(url1, marker))!.status).to.equal("0x1");
    return marker;
  };

  before(async function () {
    network = await startTestNetwork();
    urls = network.nodes.map((node) => node.url);
    url1 = urls[0];
    const created = await createGroup(url1, SIGNER1, KEY1, [KEY1, KEY2]);
    groupId = created.groupId;
    const deploy = await sendPrivate({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId, to: null, data: counterCreationCode() });
    contract = (await receipt(url1, deploy))!.contractAddress as string;
    markers.push(created.markerHash, deploy, await setValue(7));
  });
  after(async () => network.stop());

  it("undoes a new group, transactions, a membership change and a filter on every node; new transactions continue from there", async function () {
    const kept = await call<string>(url1, "priv_newFilter", [groupId, { address: contract }]);
    const before = await readEverything(urls, [{ groupId, contract }], markers);
    const started = performance.now();
    const id = await call<string>(urls[1], "evm_snapshot");
    const snapshotMs = performance.now() - started;

    const workStarted = performance.now();
    const other = await createGroup(url1, SIGNER1, KEY1, [KEY1, KEY3]);
    const undone = [other.markerHash];
    for (let value = 20; value < 30; value++) undone.push(await setValue(value));
    undone.push(await sendPrivate({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId, to: PROXY, data: addData([KEY3]) }));
    const dropped = await call<string>(url1, "priv_newFilter", [groupId, {}]);
    const workMs = performance.now() - workStarted;
    const changed = await readEverything(urls, [{ groupId, contract }, { groupId: other.groupId }], [...markers, ...undone]);

    const revertStarted = performance.now();
    expect(await call(urls[2], "evm_revert", [id])).to.equal(true);
    const revertMs = performance.now() - revertStarted;
    console.log(`      snapshot ${snapshotMs.toFixed(1)} ms + revert ${revertMs.toFixed(1)} ms, against ${workMs.toFixed(0)} ms of work undone (${undone.length} private transactions)`);

    expect(await readEverything(urls, [{ groupId, contract }, { groupId: other.groupId }], [...markers, ...undone])).to.not.deep.equal(changed);
    expect(await readEverything(urls, [{ groupId, contract }], markers)).to.deep.equal(before);
    for (const url of urls) {
      for (const marker of undone) expect(await receipt(url, marker)).to.equal(null);
      expect(await call(url, "priv_getTransactionCount", [SIGNER1.address, other.groupId])).to.equal("0x0");
    }
    expect((await rpcError(url1, "priv_getFilterChanges", [groupId, dropped])).message).to.equal("Filter not found");

    // Nonces, members and state continue from the snapshot: node3 is not a member, and the kept filter sees the new log.
    const next = await setValue(42);
    expect((await receipt(urls[1], next))!.status).to.equal("0x1");
    expect(await receipt(urls[2], next)).to.equal(null);
    const value = await call<string>(urls[1], "priv_call", [groupId, { to: contract, data: counter.encodeFunctionData("value") }, "latest"]);
    expect(BigInt(value)).to.equal(42n);
    const changes = await call<{ transactionHash: string }[]>(url1, "priv_getFilterChanges", [groupId, kept]);
    expect(changes.map((log) => log.transactionHash)).to.deep.equal([next]);
    markers.push(next);
  });

  it("reverts nested snapshots in turn, drops later ones, and answers false for an unknown id", async function () {
    const outer = await network.snapshot();
    const atOuter = await readEverything(urls, [{ groupId, contract }], markers);
    const first = await setValue(1);
    const inner = await network.snapshot();
    const atInner = await readEverything(urls, [{ groupId, contract }], [...markers, first]);
    await setValue(2);

    expect(await network.revert(inner)).to.equal(true);
    expect(await readEverything(urls, [{ groupId, contract }], [...markers, first])).to.deep.equal(atInner);
    expect(await call(url1, "evm_revert", [outer])).to.equal(true);
    expect(await readEverything(urls, [{ groupId, contract }], markers)).to.deep.equal(atOuter);
    expect(await receipt(url1, first)).to.equal(null);

    expect(await network.revert(inner)).to.equal(false); // dropped with the outer one
    expect(await call(url1, "evm_revert", [outer])).to.equal(false); // used
    expect(await call(url1, "evm_revert", ["0x99"])).to.equal(false);
    expect(await readEverything(urls, [{ groupId, contract }], markers)).to.deep.equal(atOuter);
  });

  it("refuses malformed parameters with -32602 and changes nothing", async function () {
    const before = await readEverything(urls, [{ groupId, contract }], markers);
    expect((await rpcError(url1, "evm_revert", [])).code).to.equal(-32602);
    expect((await rpcError(url1, "evm_revert", [{}])).code).to.equal(-32602);
    expect((await rpcError(url1, "evm_revert", ["nonsense"])).code).to.equal(-32602);
    expect((await rpcError(url1, "evm_snapshot", [1])).code).to.equal(-32602);
    expect(await readEverything(urls, [{ groupId, contract }], markers)).to.deep.equal(before);
  });
});

describe("network: evm_snapshot / evm_revert are refused to tenants of a multi-tenancy node", function () {
  it("answers a tenant -32601 Method not found, as Besu (which has no such methods) does; other nodes still take them", async function () {
    const pair = await generateKeyPair("RS256", { extractable: true });
    const config = defaultNetworkConfig();
    config.nodes = [
      { ...config.nodes[0], rpcPort: 0, multiTenancy: true, jwt: { publicKeyPem: await exportSPKI(pair.publicKey), algorithm: "RS256" } },
      { ...config.nodes[1], rpcPort: 0 },
    ];
    const network = await startPrivacyNetwork(config);
    try {
      const jwt = await new SignJWT({ permissions: ["*:*"], privacyPublicKey: KEY1, exp: Math.floor(Date.now() / 1000) + 3600 })
        .setProtectedHeader({ alg: "RS256" })
        .sign(pair.privateKey);
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "evm_snapshot", params: [] });
      const { json } = await post(network.nodes[0].url, body, { authorization: `Bearer ${jwt}` });
      expect((json as { error: { code: number; message: string } }).error).to.deep.equal({ code: -32601, message: "Method not found" });
      const id = await call<string>(network.nodes[1].url, "evm_snapshot");
      expect(await call(network.nodes[1].url, "evm_revert", [id])).to.equal(true);
    } finally {
      await network.stop();
    }
  });
});
