import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { call } from "../helpers/network/rpc";
import { counter, counterCreationCode } from "../helpers/network/contracts";
import {
  KEY1, KEY2, KEY3, PROXY, SIGNER1, SIGNER2,
  addData, createGroup, lockData, participants, receipt, removeData, sendMarker, sendPrivate, signFor, unlockData,
} from "../helpers/network/group";
import { startTestNetwork } from "../helpers/network/network";

type Network = Awaited<ReturnType<typeof startTestNetwork>>;

/** A second 32-byte key on node1, and a 91-byte (EC-sized) key on node2. */
const EXTRA = randomBytes(32).toString("base64");
const LONG = randomBytes(91).toString("base64");

describe("network: the privacy precompile's gate (dropped, reverted, invalid)", function () {
  let network: Network;
  let url1: string, url2: string, url3: string;

  before(async function () {
    network = await startTestNetwork((config) => {
      config.nodes[0].enclaveKeys = [KEY1, EXTRA];
      config.nodes[1].enclaveKeys = [KEY2, LONG];
    });
    [url1, url2, url3] = network.nodes.map((node) => node.url);
  });
  after(async () => network.stop());

  const nonceOf = async (url: string, address: string, groupId: string) => Number(await call<string>(url, "priv_getTransactionCount", [address, groupId]));
  const root = (url: string, groupId: string) => call<string>(url, "priv_debugGetStateRoot", [groupId, "latest"]);

  /** A dropped transaction: Besu's synthesized FAILED receipt, and nothing changed. */
  async function expectDropped(url: string, markerHash: string): Promise<void> {
    const dropped = await receipt(url, markerHash);
    expect(dropped).to.include({ status: "0x0", output: "0x" });
    expect(dropped).to.not.have.property("revertReason");
    expect(dropped!.logs).to.deep.equal([]);
    const publicReceipt = await call<{ status: string }>(url, "eth_getTransactionReceipt", [markerHash]);
    expect(publicReceipt.status).to.equal("0x1");
  }

  /** Each node's dropReason for a marker, as the nodes reported it (fpg-node prints the first). */
  const dropReasons = (markerHash: string) =>
    Object.fromEntries(network.processed.filter((entry) => entry.markerHash === markerHash).map((entry) => [entry.node, entry.dropReason]));

  async function newGroup(members = [KEY1, KEY2]): Promise<string> {
    const { groupId, markerHash } = await createGroup(url1, SIGNER1, KEY1, members);
    expect((await receipt(url1, markerHash))!.status).to.equal("0x1");
    return groupId;
  }

  it("ignores a marker whose payload no enclave holds, and marker data of other lengths", async function () {
    for (const size of [32, 64, 33]) {
      const markerHash = await sendMarker(url1, "0x" + randomBytes(size).toString("hex"));
      for (const url of [url1, url2, url3]) expect(await receipt(url, markerHash)).to.equal(null);
    }
  });

  it("drops an add to a group that is not locked", async function () {
    const groupId = await newGroup();
    const before = await root(url1, groupId);
    const nonce = await nonceOf(url1, SIGNER1.address, groupId);
    const add = await sendPrivate({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId, to: PROXY, data: addData([KEY3]) });
    await expectDropped(url1, add);
    await expectDropped(url3, add); // the payload reached node3 too; with no members there, KEY1 is not in the calldata
    // node2 has node1's group state, so it takes node1's result: the reason must come with it.
    expect(dropReasons(add)).to.include({ node1: "unlockedForAdd", node2: "unlockedForAdd" });
    expect(await participants(url1, groupId)).to.deep.equal([KEY1, KEY2]);
    expect(await nonceOf(url1, SIGNER1.address, groupId)).to.equal(nonce);
    expect(await root(url1, groupId)).to.equal(before);
  });

  it("drops calls to anything but the proxy while the group is locked, and lets the owner unlock", async function () {
    const groupId = await newGroup();
    const deploy = await sendPrivate({ url: url2, signer: SIGNER2, privateFrom: KEY2, groupId, to: null, data: counterCreationCode() });
    const counterAddress = (await receipt(url2, deploy))!.contractAddress!;
    expect((await receipt(url1, await sendPrivate({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId, to: PROXY, data: lockData() })))!.status).to.equal("0x1");
    const set = await sendPrivate({ url: url2, signer: SIGNER2, privateFrom: KEY2, groupId, to: counterAddress, data: counter.encodeFunctionData("set", [3]) });
    await expectDropped(url2, set);
    expect(dropReasons(set)).to.deep.equal({ node1: "locked", node2: "locked" });
    const deployAgain = await sendPrivate({ url: url2, signer: SIGNER2, privateFrom: KEY2, groupId, to: null, data: counterCreationCode() });
    await expectDropped(url2, deployAgain);
    const unlock = await sendPrivate({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId, to: PROXY, data: unlockData() });
    expect((await receipt(url2, unlock))!.status).to.equal("0x1");
    const setAgain = await sendPrivate({ url: url2, signer: SIGNER2, privateFrom: KEY2, groupId, to: counterAddress, data: counter.encodeFunctionData("set", [3]) });
    expect((await receipt(url1, setAgain))!.status).to.equal("0x1");
  });

  it("drops a transaction whose version, captured at distribution, changed before execution", async function () {
    const groupId = await newGroup([KEY1, KEY2, KEY3]);
    const raw = await signFor({ url: url2, signer: SIGNER2, privateFrom: KEY2, groupId, to: PROXY, data: lockData() });
    const stale = await call<string>(url2, "priv_distributeRawTransaction", [raw]);
    expect(stale).to.match(/^0x[0-9a-f]{64}$/);
    const removal = await sendPrivate({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId, to: PROXY, data: removeData(KEY3) });
    expect((await receipt(url1, removal))!.status).to.equal("0x1");
    const staleMarker = await sendMarker(url2, stale);
    await expectDropped(url2, staleMarker);
    expect(dropReasons(staleMarker)).to.include({ node2: "versionChanged" });

    const fresh = await call<string>(url2, "priv_distributeRawTransaction", [raw]);
    const executed = await receipt(url1, await sendMarker(url2, fresh));
    expect(executed!.status).to.equal("0x0"); // now it runs: SIGNER2 is not the owner, so the lock reverts
    expect(executed!.revertReason).to.match(/^0x[0-9a-f]{8}/);
  });

  it("drops a transaction whose privateFrom is not a member, and a creation that does not list its sender", async function () {
    const groupId = await newGroup();
    const raw = await signFor({ url: url1, signer: SIGNER1, privateFrom: EXTRA, groupId, to: PROXY, data: lockData() });
    const key = await call<string>(url1, "priv_distributeRawTransaction", [raw]);
    const fromExtra = await sendMarker(url1, key);
    await expectDropped(url1, fromExtra);
    expect(dropReasons(fromExtra)).to.include({ node1: "notMember" });

    const outsider = await createGroup(url1, SIGNER1, EXTRA, [KEY1, KEY2]);
    await expectDropped(url1, outsider.markerHash);
    await expectDropped(url2, outsider.markerHash);
    expect(await call(url1, "privx_findFlexiblePrivacyGroup", [[KEY1]])).to.not.deep.include({ privacyGroupId: outsider.groupId });
    expect(await participants(url1, outsider.groupId)).to.deep.equal([]);
  });

  it("drops a creation whose keys differ in length (Besu decodes such a list as empty)", async function () {
    const groupId = randomBytes(32).toString("base64");
    const raw = await signFor({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId, to: PROXY, data: addData([KEY1, LONG]) });
    expect(await call(url1, "eea_sendRawTransaction", [raw]).catch((e: Error) => e.message)).to.equal(
      "eea_sendRawTransaction: -50100 Flexible Privacy group does not exist.", // no recipients decode, so the sender is not one
    );
    const markerHash = await sendMarker(url1, await call<string>(url1, "priv_distributeRawTransaction", [raw]));
    await expectDropped(url1, markerHash);
    expect(await receipt(url2, markerHash)).to.equal(null);
    const error = await call(url1, "priv_debugGetStateRoot", [groupId, "latest"]).catch((e: Error) => e.message);
    expect(error).to.equal("priv_debugGetStateRoot: -50100 Error finding privacy group");
  });

  it("keeps a reverted transaction's revert reason, and its nonce unused", async function () {
    const groupId = await newGroup();
    const deploy = await sendPrivate({ url: url2, signer: SIGNER2, privateFrom: KEY2, groupId, to: null, data: counterCreationCode() });
    const counterAddress = (await receipt(url2, deploy))!.contractAddress!;
    const nonce = await nonceOf(url1, SIGNER2.address, groupId);
    const set = await sendPrivate({ url: url2, signer: SIGNER2, privateFrom: KEY2, groupId, to: counterAddress, data: counter.encodeFunctionData("set", [0]) });
    const reverted = await receipt(url1, set);
    expect(reverted).to.include({ status: "0x0", output: "0x" });
    expect(reverted!.revertReason).to.equal(counter.encodeErrorResult("Error", ["zero is not a value"]));
    expect(await nonceOf(url1, SIGNER2.address, groupId)).to.equal(nonce);
    expect(await call(url1, "priv_getLogs", [groupId, { address: counterAddress }])).to.deep.equal([]);
  });

  it("marks a transaction with a future nonce invalid (0x2) at execution", async function () {
    const groupId = await newGroup();
    const nonce = await nonceOf(url1, SIGNER1.address, groupId);
    const future = await sendPrivate({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId, to: PROXY, data: lockData(), nonce: nonce + 1 });
    const invalid = await receipt(url2, future);
    expect(invalid).to.include({ status: "0x2", output: "0x" });
    expect(invalid).to.not.have.property("revertReason");
    expect(await nonceOf(url1, SIGNER1.address, groupId)).to.equal(nonce);
  });
});
