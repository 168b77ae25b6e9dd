import { expect } from "chai";
import { type CryptoKey, SignJWT, exportSPKI, generateKeyPair } from "jose";
import { type PrivacyNetwork, startPrivacyNetwork } from "../../src/network";
import { defaultNetworkConfig } from "../../src/network/defaults";
import { counter, counterCreationCode } from "../helpers/network/contracts";
import { KEY1, KEY2, KEY3, PROXY, SIGNER1, SIGNER2, addData, createGroup, management, newGroupId, receipt, removeData, sendPrivate, signFor } from "../helpers/network/group";
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

describe("network: snapshots on a multi-tenancy node", function () {
  const ALICE = Buffer.alloc(32, 0xa1).toString("base64");
  const MALLORY = Buffer.alloc(32, 0x3e).toString("base64");
  let network: PrivacyNetwork;
  let tenants: string;
  let admin: string;
  let privateKey: CryptoKey;

  const asTenant = async (key: string, method: string, params: unknown[] = []) => {
    const jwt = await new SignJWT({ permissions: ["*:*"], privacyPublicKey: key, exp: Math.floor(Date.now() / 1000) + 3600 })
      .setProtectedHeader({ alg: "RS256" })
      .sign(privateKey);
    const { status, json } = await post(tenants, JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }), { authorization: `Bearer ${jwt}` });
    return { status, ...(json as { result?: unknown; error?: { code: number; message: string } }) };
  };
  const sendAsAlice = async (groupId: string, data: string) => {
    const raw = await signFor({ url: admin, signer: SIGNER1, privateFrom: ALICE, groupId, to: PROXY, data });
    const sent = await asTenant(ALICE, "eea_sendRawTransaction", [raw]);
    expect((await asTenant(ALICE, "priv_getTransactionReceipt", [sent.result])).result).to.include({ status: "0x1" });
  };

  before(async function () {
    const pair = await generateKeyPair("RS256", { extractable: true });
    privateKey = pair.privateKey;
    const config = defaultNetworkConfig();
    config.nodes = [
      { name: "tenants", rpcPort: 0, enclaveKeys: [ALICE, MALLORY], multiTenancy: true, jwt: { publicKeyPem: await exportSPKI(pair.publicKey), algorithm: "RS256" } },
      { ...config.nodes[1], rpcPort: 0 },
    ];
    network = await startPrivacyNetwork(config);
    [tenants, admin] = network.nodes.map((node) => node.url);
  });
  after(async () => network.stop());

  it("answers a tenant -32601 Method not found, as Besu (which has no such methods) does; other nodes still take them", async function () {
    expect((await asTenant(ALICE, "evm_snapshot")).error).to.deep.equal({ code: -32601, message: "Method not found" });
    expect((await asTenant(ALICE, "evm_revert", ["0x1"])).error).to.deep.equal({ code: -32601, message: "Method not found" });
    const id = await call<string>(admin, "evm_snapshot");
    expect(await call(admin, "evm_revert", [id])).to.equal(true);
  });

  it("forgets a tenant's removal that the revert undid, even when the group again has as many transactions", async function () {
    const groupId = newGroupId();
    await sendAsAlice(groupId, addData([ALICE, MALLORY, KEY2]));
    const id = await network.snapshot();
    await sendAsAlice(groupId, removeData(MALLORY));
    const nonce = () => asTenant(MALLORY, "priv_getTransactionCount", [SIGNER1.address, groupId]);
    expect((await nonce()).error?.code).to.equal(-50100); // removed: refused
    expect(await network.revert(id)).to.equal(true);
    // One transaction again, but no removal, sent through the other node so no tenant read comes between.
    const marker = await sendPrivate({ url: admin, signer: SIGNER2, privateFrom: KEY2, groupId, to: PROXY, data: management.encodeFunctionData("getParticipants") });
    expect((await receipt(admin, marker))!.status).to.equal("0x1");
    expect((await nonce()).result).to.equal("0x1");
  });
});
