import { expect } from "chai";
import { getAddress, keccak256, encodeRlp, toBeArray } from "ethers";
import { call } from "../helpers/network/rpc";
import { counter, counterCreationCode, managementV2CreationCode } from "../helpers/network/contracts";
import {
  KEY1, KEY2, KEY3, PROXY, SIGNER1, SIGNER2,
  addData, createGroup, lockData, management, participants, receipt, removeData, sendPrivate,
} from "../helpers/network/group";
import { startTestNetwork } from "../helpers/network/network";

type Network = Awaited<ReturnType<typeof startTestNetwork>>;

/** Besu's private contract address: keccak(RLP([sender, nonce, groupId]))[12:]. */
function privateAddress(sender: string, nonce: number, groupId: string): string {
  const encoded = encodeRlp([sender, nonce === 0 ? "0x" : toBeArray(nonce), Buffer.from(groupId, "base64")]);
  return getAddress("0x" + keccak256(encoded).slice(-40));
}

describe("network: a group's whole life on the exported blob, across three nodes", function () {
  let network: Network;
  let url1: string, url2: string, url3: string;
  let groupId: string;
  let creation: string;
  let counterAddress: string;

  const value = async (url: string, block = "latest") =>
    BigInt(await call<string>(url, "priv_call", [groupId, { to: counterAddress, data: counter.encodeFunctionData("value") }, block]));
  const root = (url: string) => call<string>(url, "priv_debugGetStateRoot", [groupId, "latest"]);
  const setValue = async (url: string, signer: typeof SIGNER1, privateFrom: string, newValue: number) =>
    sendPrivate({ url, signer, privateFrom, groupId, to: counterAddress, data: counter.encodeFunctionData("set", [newValue]) });
  const owner = (url: string, data: string) => sendPrivate({ url, signer: SIGNER1, privateFrom: KEY1, groupId, to: PROXY, data });
  const status = async (url: string, markerHash: string) => (await receipt(url, markerHash))?.status;

  before(async function () {
    network = await startTestNetwork();
    [url1, url2, url3] = network.nodes.map((node) => node.url);
  });
  after(async () => network.stop());

  it("creates a group: both members execute it, the third node sees nothing", async function () {
    ({ groupId, markerHash: creation } = await createGroup(url1, SIGNER1, KEY1, [KEY1, KEY2]));
    const created = await receipt(url1, creation);
    expect(created).to.include({ status: "0x1", privacyGroupId: groupId, commitmentHash: creation, to: PROXY });
    expect(created!.logs).to.have.length(2);
    expect(await receipt(url2, creation)).to.deep.equal(created);
    expect(await receipt(url3, creation)).to.equal(null);
    expect(await participants(url2, groupId)).to.deep.equal([KEY1, KEY2]);
    expect(await participants(url3, groupId)).to.deep.equal([]);
    const publicReceipt = await call<{ status: string; to: string; from: string }>(url3, "eth_getTransactionReceipt", [creation]);
    expect(publicReceipt).to.include({ status: "0x1", to: "0x000000000000000000000000000000000000007d" });
    const marker = await call<{ v: string; input: string; chainId?: string }>(url3, "eth_getTransactionByHash", [creation]);
    expect(["0x1b", "0x1c"]).to.include(marker.v); // signed as Besu signs markers: a fresh key, no chain id
    expect(marker.input).to.have.length(2 + 64);
  });

  it("deploys a private contract at Besu's private address and runs it on both members", async function () {
    const deploy = await sendPrivate({ url: url2, signer: SIGNER2, privateFrom: KEY2, groupId, to: null, data: counterCreationCode() });
    const deployed = await receipt(url2, deploy);
    counterAddress = privateAddress(SIGNER2.address, 0, groupId);
    expect(deployed!.status).to.equal("0x1");
    expect(getAddress(deployed!.contractAddress!)).to.equal(counterAddress);
    expect(deployed).to.not.have.property("to");
    const set = await setValue(url2, SIGNER2, KEY2, 5);
    expect(await status(url1, set)).to.equal("0x1");
    expect(await value(url1)).to.equal(5n);
    expect(await root(url1)).to.equal(await root(url2));
  });

  it("runs a private transaction in its marker's block: number, coinbase, timestamp and BLOCKHASH", async function () {
    const record = await sendPrivate({ url: url2, signer: SIGNER2, privateFrom: KEY2, groupId, to: counterAddress, data: counter.encodeFunctionData("recordBlock") });
    const marker = await call<{ blockNumber: string }>(url1, "eth_getTransactionReceipt", [record]);
    const block = await call<{ number: string; parentHash: string; miner: string; timestamp: string }>(url1, "eth_getBlockByNumber", [marker.blockNumber, false]);
    const read = async (name: "seenHash" | "seenNumber" | "seenCoinbase" | "seenTimestamp") =>
      counter.decodeFunctionResult(name, await call<string>(url1, "priv_call", [groupId, { to: counterAddress, data: counter.encodeFunctionData(name) }, "latest"]))[0] as unknown;
    expect(await read("seenHash")).to.equal(block.parentHash);
    expect(await read("seenNumber")).to.equal(BigInt(block.number));
    expect(getAddress((await read("seenCoinbase")) as string)).to.equal(getAddress(block.miner));
    expect(await read("seenTimestamp")).to.equal(BigInt(block.timestamp));
  });

  it("locks, then adds a third member who receives the history (the add blob)", async function () {
    expect(await status(url1, await owner(url1, lockData()))).to.equal("0x1");
    const add = await owner(url1, addData([KEY3]));
    const marker = await call<{ input: string }>(url1, "eth_getTransactionByHash", [add]);
    expect(marker.input).to.have.length(2 + 128); // 64 bytes: payload key ‖ add-blob key
    expect(await status(url3, add)).to.equal("0x1");
    expect(await participants(url3, groupId)).to.deep.equal([KEY1, KEY2, KEY3]);
    expect(await receipt(url3, creation)).to.deep.equal(await receipt(url1, creation));
    const history = await call(url3, "priv_getPrivateTransaction", [creation]);
    expect(history).to.deep.equal(await call(url1, "priv_getPrivateTransaction", [creation]));
    expect(await value(url3)).to.equal(5n);
    expect(await root(url3)).to.equal(await root(url1));
    const logs = await call<unknown[]>(url3, "priv_getLogs", [groupId, { address: counterAddress }]);
    expect(logs).to.deep.equal(await call<unknown[]>(url1, "priv_getLogs", [groupId, { address: counterAddress }]));
    expect(logs).to.have.length(1); // the one Set event
    const groups = await call<{ privacyGroupId: string }[]>(url3, "privx_findFlexiblePrivacyGroup", [[KEY3]]);
    expect(groups.map((group) => group.privacyGroupId)).to.deep.equal([groupId]);
  });

  it("removes a member: its node keeps the stale state and can no longer send to the group", async function () {
    const removal = await owner(url1, removeData(KEY3));
    expect(await status(url3, removal)).to.equal("0x1"); // the removed node processes its own removal
    const set = await setValue(url2, SIGNER2, KEY2, 7);
    expect(await status(url1, set)).to.equal("0x1");
    expect(await receipt(url3, set)).to.equal(null);
    expect(await value(url1)).to.equal(7n);
    expect(await value(url3)).to.equal(5n);
    expect(await call(url3, "privx_findFlexiblePrivacyGroup", [[KEY3]])).to.deep.equal([]);
    const reply = await call(url3, "priv_getTransactionCount", [SIGNER1.address, groupId]);
    expect(reply).to.be.a("string");
    const send = setValue(url3, SIGNER2, KEY3, 9);
    await expect(send).to.be.rejectedWith("-50100 Flexible Privacy group does not exist.");
  });

  it("re-adds the member, which replays only what it missed", async function () {
    const replayedBefore = network.processed.filter((entry) => entry.node === "node3" && entry.replayed).length;
    expect(await status(url1, await owner(url1, lockData()))).to.equal("0x1");
    const add = await owner(url1, addData([KEY3]));
    expect(await status(url3, add)).to.equal("0x1");
    const replayed = network.processed.filter((entry) => entry.node === "node3" && entry.replayed).slice(replayedBefore);
    expect(replayed).to.have.length(2); // set(7) and the lock; never what it had already executed
    expect(await value(url3)).to.equal(7n);
    expect(await root(url3)).to.equal(await root(url1));
  });

  it("upgrades to FlexiblePrivacyGroupManagementV2 deployed as a private contract, and keeps managing members", async function () {
    const v2 = await managementV2CreationCode();
    const nonce = Number(await call<string>(url1, "priv_getTransactionCount", [SIGNER1.address, groupId]));
    const deploy = await sendPrivate({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId, to: null, data: v2.bytecode });
    expect(await status(url1, deploy)).to.equal("0x1");
    const v2Address = privateAddress(SIGNER1.address, nonce, groupId);
    const upgrade = await owner(url1, management.encodeFunctionData("upgradeTo", [v2Address]));
    expect(await status(url2, upgrade)).to.equal("0x1");
    for (const url of [url1, url2, url3]) {
      const implementation = await call<string>(url, "priv_call", [groupId, { to: PROXY, data: management.encodeFunctionData("implementation") }, "latest"]);
      expect(getAddress("0x" + implementation.slice(-40))).to.equal(v2Address);
      const generation = await call<string>(url, "priv_call", [groupId, { to: PROXY, data: v2.abi.encodeFunctionData("managementGeneration") }, "latest"]);
      expect(BigInt(generation)).to.equal(2n);
    }
    expect(await status(url1, await owner(url1, removeData(KEY2)))).to.equal("0x1");
    expect(await participants(url3, groupId)).to.have.members([KEY1, KEY3]);
    expect(await root(url3)).to.equal(await root(url1));
  });
});
