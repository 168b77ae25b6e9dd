import { expect } from "chai";
import { getAddress } from "ethers";
import { call, rpc, rpcError } from "../helpers/network/rpc";
import { counter, counterCreationCode } from "../helpers/network/contracts";
import { KEY1, KEY2, KEY3, PROXY, SIGNER1, SIGNER2, SIGNER3, createGroup, lockData, receipt, sendPrivate } from "../helpers/network/group";
import { startTestNetwork } from "../helpers/network/network";

type Network = Awaited<ReturnType<typeof startTestNetwork>>;
type Log = { logIndex: string; blockNumber: string; blockHash: string; transactionHash: string; address: string; topics: string[]; data: string; removed: boolean };

const EMPTY_TRIE_ROOT = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";

describe("network: Besu 25.5's privacy methods, their results and errors", function () {
  let network: Network;
  let url1: string, url2: string, url3: string;
  let groupId: string;
  let creation: string;
  let creationBlock: number;
  let counterAddress: string;
  let deploy: string;
  let setHashes: string[];

  const set = (newValue: number) =>
    sendPrivate({ url: url2, signer: SIGNER2, privateFrom: KEY2, groupId, to: counterAddress, data: counter.encodeFunctionData("set", [newValue]) });
  const valueAt = (url: string, block: string) =>
    call<string | null>(url, "priv_call", [groupId, { to: counterAddress, data: counter.encodeFunctionData("value") }, block]);

  before(async function () {
    network = await startTestNetwork();
    [url1, url2, url3] = network.nodes.map((node) => node.url);
    ({ groupId, markerHash: creation } = await createGroup(url1, SIGNER1, KEY1, [KEY1, KEY2]));
    creationBlock = Number((await receipt(url1, creation))!.blockNumber);
    deploy = await sendPrivate({ url: url2, signer: SIGNER2, privateFrom: KEY2, groupId, to: null, data: counterCreationCode() });
    counterAddress = (await receipt(url2, deploy))!.contractAddress!;
    setHashes = [await set(11), await set(12)];
  });
  after(async () => network.stop());

  it("priv_getPrivacyPrecompileAddress returns the flexible precompile 0x…7d", async function () {
    expect(await call(url1, "priv_getPrivacyPrecompileAddress")).to.equal("0x000000000000000000000000000000000000007d");
  });

  it("priv_getTransactionCount counts successes at head, 0 for an unknown group, and wants exactly two params", async function () {
    expect(await call(url1, "priv_getTransactionCount", [SIGNER2.address, groupId])).to.equal("0x3");
    expect(await call(url3, "priv_getTransactionCount", [SIGNER2.address, groupId])).to.equal("0x0");
    expect(await rpcError(url1, "priv_getTransactionCount", [SIGNER2.address])).to.deep.equal({ code: -32602, message: "Invalid number of params" });
    expect(await rpcError(url1, "priv_getTransactionCount", [SIGNER2.address, groupId, "latest"])).to.deep.equal({ code: -32602, message: "Invalid number of params" });
    expect(await rpcError(url1, "priv_getTransactionCount", ["0x12", groupId])).to.deep.equal({ code: -32602, message: "Invalid address params" });
    expect(await rpcError(url1, "priv_getTransactionCount", [SIGNER2.address, "AAAA"])).to.deep.equal({ code: -32602, message: "Invalid privacy group params" });
  });

  it("priv_getEeaTransactionCount is 0 (no legacy groups) and checks privateFrom against the node's key", async function () {
    expect(await call(url1, "priv_getEeaTransactionCount", [SIGNER1.address, KEY1, [KEY2]])).to.equal("0x0");
    expect(await rpcError(url1, "priv_getEeaTransactionCount", [SIGNER1.address, KEY2, [KEY1]])).to.deep.equal({ code: -50100, message: "Private from does not match enclave public key" });
    expect(await rpcError(url1, "priv_getEeaTransactionCount", [SIGNER1.address, KEY1])).to.deep.equal({ code: -32602, message: "Invalid number of params" });
  });

  it("priv_call reads state at any block, 0x without state, null past the head", async function () {
    expect(BigInt((await valueAt(url1, "latest"))!)).to.equal(12n);
    const firstSet = await receipt(url1, setHashes[0]);
    expect(BigInt((await valueAt(url1, firstSet!.blockNumber))!)).to.equal(11n);
    expect(await valueAt(url1, "0x" + creationBlock.toString(16))).to.equal("0x");
    expect(await valueAt(url3, "latest")).to.equal("0x");
    expect(await valueAt(url1, "0xffffff")).to.equal(null);
  });

  it("priv_call reports reverts as Besu does, and wants a `to`", async function () {
    const zero = await rpcError(url1, "priv_call", [groupId, { to: counterAddress, data: counter.encodeFunctionData("set", [0]) }, "latest"]);
    expect(zero).to.deep.equal({ code: -32000, message: "Execution reverted (zero is not a value)", data: counter.encodeErrorResult("Error", ["zero is not a value"]) });
    const notOwner = await rpcError(url1, "priv_call", [groupId, { from: SIGNER2.address, to: PROXY, data: lockData() }, "latest"]);
    expect(notOwner.code).to.equal(-32000);
    expect(notOwner.message).to.equal("Execution reverted");
    expect(notOwner.data).to.match(/^0x[0-9a-f]{8}/);
    expect(await rpcError(url1, "priv_call", [groupId, { data: "0x" }, "latest"])).to.deep.equal({ code: -32602, message: "Invalid call params" });
  });

  it("priv_getCode returns the genesis and private code, null for no account", async function () {
    const proxyCode = await call<string>(url1, "priv_getCode", [groupId, PROXY, "latest"]);
    expect(proxyCode).to.match(/^0x[0-9a-f]{100,}$/);
    expect(await call(url1, "priv_getCode", [groupId, counterAddress, "latest"])).to.equal((await receipt(url1, deploy))!.output);
    expect(await call(url1, "priv_getCode", [groupId, SIGNER1.address.replace(/.$/, "0"), "latest"])).to.equal(null);
    expect(await call(url3, "priv_getCode", [groupId, PROXY, "latest"])).to.equal(null);
  });

  it("priv_getLogs filters by address, topics, range and block hash, with logIndex per group per block", async function () {
    const all = await call<Log[]>(url1, "priv_getLogs", [groupId, {}]);
    expect(all).to.have.length(4); // two ParticipantAdded, two Set
    expect(all[0]).to.include({ transactionHash: creation, logIndex: "0x0", removed: false });
    expect(all[1]).to.include({ transactionHash: creation, logIndex: "0x1" });
    expect(Object.keys(all[0])).to.deep.equal(["logIndex", "removed", "blockNumber", "blockHash", "transactionHash", "transactionIndex", "address", "data", "topics"]);
    const sets = await call<Log[]>(url1, "priv_getLogs", [groupId, { address: counterAddress, topics: [counter.getEvent("Set")!.topicHash] }]);
    expect(sets.map((log) => log.transactionHash)).to.deep.equal(setHashes);
    const bySender = await call<Log[]>(url1, "priv_getLogs", [groupId, { topics: [null, "0x" + SIGNER1.address.slice(2).toLowerCase().padStart(64, "0")] }]);
    expect(bySender).to.deep.equal([]);
    const inBlock = await call<Log[]>(url1, "priv_getLogs", [groupId, { blockHash: sets[1].blockHash }]);
    expect(inBlock).to.deep.equal([sets[1]]);
    const range = await call<Log[]>(url1, "priv_getLogs", [groupId, { fromBlock: sets[1].blockNumber, toBlock: "latest" }]);
    expect(range).to.deep.equal([sets[1]]);
    expect(await call(url3, "priv_getLogs", [groupId, {}])).to.deep.equal([]);
    expect(await rpcError(url1, "priv_getLogs", [groupId, { fromBlock: "soon" }])).to.deep.equal({ code: -32602, message: "Invalid filter params" });
    expect(await rpcError(url1, "priv_getLogs", [groupId, { blockHash: sets[1].blockHash, fromBlock: "0x1" }])).to.deep.equal({ code: -32602, message: "Invalid filter params" });
  });

  it("priv_newFilter, priv_getFilterChanges, priv_getFilterLogs and priv_uninstallFilter", async function () {
    const id = await call<string>(url1, "priv_newFilter", [groupId, { address: counterAddress }]);
    expect(id).to.match(/^0x[0-9a-f]{32}$/);
    expect(await call(url1, "priv_getFilterChanges", [groupId, id])).to.deep.equal([]);
    const later = await set(13);
    const changes = await call<Log[]>(url1, "priv_getFilterChanges", [groupId, id]);
    expect(changes.map((log) => log.transactionHash)).to.deep.equal([later]);
    expect(await call(url1, "priv_getFilterChanges", [groupId, id])).to.deep.equal([]);
    expect((await call<Log[]>(url1, "priv_getFilterLogs", [groupId, id])).map((log) => log.transactionHash)).to.deep.equal([...setHashes, later]);
    expect(await call(url1, "priv_uninstallFilter", [groupId, id])).to.equal(true);
    expect(await call(url1, "priv_uninstallFilter", [groupId, id])).to.equal(false);
    expect(await rpcError(url1, "priv_getFilterChanges", [groupId, id])).to.deep.equal({ code: -32000, message: "Filter not found" });
    expect(await rpcError(url1, "priv_getFilterLogs", [groupId, id])).to.deep.equal({ code: -32000, message: "Logs filter not found" });
  });

  it("priv_getPrivateTransaction returns Besu's private transaction object, null to non-recipients", async function () {
    const tx = await call<Record<string, unknown>>(url1, "priv_getPrivateTransaction", [deploy]);
    expect(Object.keys(tx)).to.deep.equal(["from", "gas", "gasPrice", "input", "nonce", "to", "value", "v", "r", "s", "privateFrom", "privacyGroupId", "restriction"]);
    expect(tx).to.include({ from: SIGNER2.address.toLowerCase(), to: null, nonce: "0x0", value: "0x0", gas: "0x2dc6c0", gasPrice: "0x0", privateFrom: KEY2, privacyGroupId: groupId, restriction: "restricted", input: counterCreationCode() });
    expect(await call(url3, "priv_getPrivateTransaction", [deploy])).to.equal(null);
  });

  it("priv_getTransactionReceipt has Besu's fields, no transactionHash, logIndex per receipt; null for other hashes", async function () {
    const created = await receipt(url1, creation);
    expect(Object.keys(created!)).to.deep.equal([
      "from", "to", "output", "commitmentHash", "privateFrom", "privacyGroupId", "status", "logs", "logsBloom", "blockHash", "blockNumber", "transactionIndex",
    ]);
    const set = await receipt(url1, setHashes[1]);
    expect(set!.logs.map((log) => log.logIndex)).to.deep.equal(["0x0"]);
    expect(set!.logsBloom).to.match(/^0x[0-9a-f]{512}$/);
    const deployed = await receipt(url1, deploy);
    expect(Object.keys(deployed!)[0]).to.equal("contractAddress");
    expect(getAddress(deployed!.contractAddress!)).to.equal(getAddress(counterAddress));
    expect(await receipt(url1, "0x" + "ab".repeat(32))).to.equal(null);
    expect(await rpcError(url1, "priv_getTransactionReceipt", ["0x1234"])).to.deep.equal({ code: -32602, message: "Invalid transaction hash params" });
  });

  it("priv_debugGetStateRoot: the empty root before the group, equal roots on members, an error elsewhere", async function () {
    const before = "0x" + (creationBlock - 1).toString(16);
    expect(await call(url1, "priv_debugGetStateRoot", [groupId, before])).to.equal(EMPTY_TRIE_ROOT);
    const atCreation = await call<string>(url1, "priv_debugGetStateRoot", [groupId, "0x" + creationBlock.toString(16)]);
    expect(atCreation).to.match(/^0x[0-9a-f]{64}$/).and.not.equal(EMPTY_TRIE_ROOT);
    expect(await call(url2, "priv_debugGetStateRoot", [groupId, "0x" + creationBlock.toString(16)])).to.equal(atCreation);
    expect(await call(url2, "priv_debugGetStateRoot", [groupId, "latest"])).to.equal(await call(url1, "priv_debugGetStateRoot", [groupId, "latest"]));
    expect(await rpcError(url3, "priv_debugGetStateRoot", [groupId, "latest"])).to.deep.equal({ code: -50100, message: "Error finding privacy group" });
    expect(await rpcError(url1, "priv_debugGetStateRoot", [groupId, "0xffffff"])).to.deep.equal({ code: -32603, message: "Internal error" });
  });

  it("priv_traceTransaction returns the Parity-style flat trace of a private transaction, [] elsewhere", async function () {
    type Trace = { action: Record<string, string>; result?: Record<string, string>; subtraces: number; traceAddress: number[]; transactionHash: string; blockNumber: number; type: string };
    const [set] = await call<Trace[]>(url1, "priv_traceTransaction", [groupId, setHashes[0]]);
    expect(set).to.deep.include({ type: "call", transactionHash: setHashes[0], subtraces: 0, traceAddress: [] });
    expect(set.action).to.include({ callType: "call", from: SIGNER2.address.toLowerCase(), to: counterAddress.toLowerCase(), value: "0x0" });
    expect(set.action.input).to.equal(counter.encodeFunctionData("set", [11]));
    expect(set.blockNumber).to.equal(Number((await receipt(url1, setHashes[0]))!.blockNumber));
    const created = await call<Trace[]>(url2, "priv_traceTransaction", [groupId, creation]);
    expect(created[0].action.to).to.equal(PROXY);
    expect(created[0].subtraces).to.be.greaterThan(0); // the proxy delegates to 0x…7b
    expect(created[1]).to.deep.include({ traceAddress: [0] });
    expect(created[1].action).to.include({ callType: "delegatecall", to: "0x000000000000000000000000000000000000007b" });
    const [deployed] = await call<Trace[]>(url1, "priv_traceTransaction", [groupId, deploy]);
    expect(deployed.type).to.equal("create");
    expect(deployed.result!.address).to.equal(counterAddress.toLowerCase());
    expect(await call(url3, "priv_traceTransaction", [groupId, setHashes[0]])).to.deep.equal([]);
    expect(await call(url1, "priv_traceTransaction", [groupId, "0x" + "12".repeat(32)])).to.deep.equal([]);
    expect(await rpcError(url1, "priv_traceTransaction", ["nope", setHashes[0]])).to.deep.equal({ code: -32602, message: "Invalid privacy group params" });
  });

  it("privx_findFlexiblePrivacyGroup (and its deprecated alias) finds groups whose members include every key", async function () {
    const expected = { privacyGroupId: groupId, name: "", description: "", type: "FLEXIBLE", members: [KEY1, KEY2] };
    expect(await call(url1, "privx_findFlexiblePrivacyGroup", [[KEY2]])).to.deep.include(expected);
    expect(await call(url2, "privx_findOnchainPrivacyGroup", [[KEY1, KEY2]])).to.deep.include(expected);
    expect(await call(url1, "privx_findFlexiblePrivacyGroup", [[KEY1, KEY3]])).to.deep.equal([]);
    expect(await call(url3, "privx_findFlexiblePrivacyGroup", [[KEY1]])).to.deep.equal([]);
    expect((await rpcError(url1, "privx_findFlexiblePrivacyGroup", ["not a list"])).code).to.equal(-32602);
  });

  it("answers -32604 for the off-chain group methods and -32601 for unknown names", async function () {
    for (const method of ["priv_createPrivacyGroup", "priv_deletePrivacyGroup", "priv_findPrivacyGroup", "priv_subscribe"]) {
      expect(await rpcError(url1, method, [])).to.deep.equal({ code: -32604, message: "Method not enabled" });
    }
    for (const method of ["privx_findOnChainPrivacyGroup", "priv_getTransaction", "priv_findFlexiblePrivacyGroup", "eth_noSuchMethod", "hardhat_mine", "evm_mine", "foo"]) {
      expect(await rpcError(url1, method, [])).to.deep.equal({ code: -32601, message: "Method not found" });
    }
  });

  it("serves the engine's eth_, net_ and web3_ methods on every node, on one shared chain", async function () {
    const heads = await Promise.all([url1, url2, url3].map((url) => call<string>(url, "eth_blockNumber")));
    expect(new Set(heads).size).to.equal(1);
    expect(await call(url2, "eth_chainId")).to.equal("0x539");
    expect(await call(url3, "net_version")).to.equal("1337");
    expect(await call<string>(url1, "web3_clientVersion")).to.be.a("string");
    const balance = await call<string>(url3, "eth_getBalance", [SIGNER3.address, "latest"]);
    expect(BigInt(balance) > 0n).to.equal(true);
    expect((await rpc(url1, "eth_gasPrice")).status).to.equal(200);
  });

  it("answers eth_blockNumber with the head it has processed: the engine's latest block, moving with each send", async function () {
    const head = async () => Number(await call<string>(url1, "eth_blockNumber"));
    const latest = async () => Number((await call<{ number: string }>(url3, "eth_getBlockByNumber", ["latest", false])).number);
    expect(await head()).to.equal(await latest());
    const marker = await set(13);
    const mined = Number((await receipt(url1, marker))!.blockNumber);
    expect([await head(), await latest()]).to.deep.equal([mined, mined]);
  });
});
