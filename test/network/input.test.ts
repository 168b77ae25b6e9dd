import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { Signature, SigningKey, decodeRlp, keccak256 } from "ethers";
import { call, post, rpc, rpcError } from "../helpers/network/rpc";
import { encodeItems, signPrivateTx } from "../helpers/network/private-tx";
import { KEY1, KEY2, PROXY, SIGNER1, addData, createGroup, lockData, newGroupId, receipt, signFor } from "../helpers/network/group";
import { startTestNetwork } from "../helpers/network/network";

type Network = Awaited<ReturnType<typeof startTestNetwork>>;

describe("network: bad input gets Besu's error and changes nothing", function () {
  let network: Network;
  let url1: string;
  let groupId: string;

  before(async function () {
    network = await startTestNetwork();
    url1 = network.nodes[0].url;
    const created = await createGroup(url1, SIGNER1, KEY1, [KEY1, KEY2]);
    groupId = created.groupId;
    expect((await receipt(url1, created.markerHash))!.status).to.equal("0x1");
  });
  after(async () => network.stop());

  const lockTx = (overrides: Partial<Parameters<typeof signPrivateTx>[0]> = {}) =>
    signPrivateTx({ nonce: 0, to: PROXY, data: lockData(), privateFrom: KEY1, privacyGroupId: groupId, chainId: 1337, ...overrides }, SIGNER1.privateKey);
  const send = (raw: unknown) => rpcError(url1, "eea_sendRawTransaction", raw === undefined ? [] : [raw]);
  const items = (raw: string) => decodeRlp(raw) as string[];

  describe("eea_sendRawTransaction, in Besu's order of checks", function () {
    it("a missing parameter", async function () {
      expect(await send(undefined)).to.deep.equal({ code: -32602, message: "Invalid transaction params (missing or incorrect)" });
      expect(await send(42)).to.deep.equal({ code: -32602, message: "Invalid transaction params (missing or incorrect)" });
    });

    it("bad RLP, a wrong item count, a scalar with a leading zero, a 31-byte group id", async function () {
      const decodeError = { code: -50100, message: "Unable to decode the private signed raw transaction" };
      expect(await send("0x1234")).to.deep.equal(decodeError);
      expect(await send("not hex at all")).to.deep.equal(decodeError);
      const valid = items(lockTx());
      expect(await send(encodeItems(valid.slice(0, 11)))).to.deep.equal(decodeError);
      expect(await send(encodeItems(["0x00", ...valid.slice(1)]))).to.deep.equal(decodeError);
      const shortGroup = [...valid];
      shortGroup[10] = "0x" + "11".repeat(31);
      expect(await send(encodeItems(shortGroup))).to.deep.equal(decodeError);
    });

    it("an unsupported v, a restriction other than restricted", async function () {
      const valid = items(lockTx());
      const badV = [...valid];
      badV[6] = "0x1e"; // 30
      expect(await send(encodeItems(badV))).to.deep.equal({ code: -50100, message: "Error communicating with enclave" });
      expect(await send(lockTx({ restriction: "unrestricted" }))).to.deep.equal({ code: -50100, message: "Unsupported private transaction type" });
    });

    it("value ≠ 0 (Besu's unmapped PRIVATE_VALUE_NOT_ZERO), a wrong chain id, a signature that recovers no key", async function () {
      expect(await send(lockTx({ value: 1 }))).to.deep.equal({ code: -32603, message: "Internal error" });
      expect(await send(lockTx({ chainId: 2018 }))).to.deep.equal({ code: -32000, message: "Wrong chainId" });
      const unsigned = items(lockTx({ chainId: undefined }));
      const digest = keccak256("0x01");
      let r = 1n;
      for (; ; r++) {
        try {
          SigningKey.recoverPublicKey(digest, Signature.from({ r: "0x" + r.toString(16).padStart(64, "0"), s: "0x" + "01".padStart(64, "0"), v: 27 }));
        } catch {
          break; // no curve point has this x: nothing can be recovered
        }
      }
      const bad = [...unsigned];
      bad[7] = "0x" + r.toString(16).padStart(2, "0");
      bad[8] = "0x01";
      expect(await send(encodeItems(bad))).to.deep.equal({ code: -32002, message: "Invalid signature" });
    });

    it("a nonce below the group's (a nonce above it passes and is invalid at execution)", async function () {
      const lock = await call<string>(url1, "eea_sendRawTransaction", [lockTx({ nonce: 1 })]); // nonce 0 created the group
      expect((await receipt(url1, lock))!.status).to.equal("0x1");
      expect(await send(lockTx({ nonce: 1, data: "0xa69df4b5" }))).to.deep.equal({ code: -32001, message: "Nonce too low" });
      const unlock = await call<string>(url1, "eea_sendRawTransaction", [lockTx({ nonce: 2, data: "0xa69df4b5" })]);
      expect((await receipt(url1, unlock))!.status).to.equal("0x1");
    });

    it("takes the signed transaction with or without 0x, as web3js-quorum sends it", async function () {
      const raw = lockTx({ nonce: 3, data: "0x5aa68ac0" });
      const markerHash = await call<string>(url1, "eea_sendRawTransaction", [raw.slice(2)]);
      expect((await receipt(url1, markerHash))!.status).to.equal("0x1");
    });

    it("privateFor instead of a privacy group id, an unknown group", async function () {
      const legacy = signPrivateTx({ nonce: 0, to: PROXY, data: lockData(), privateFrom: KEY1, privateFor: [KEY2], chainId: 1337 }, SIGNER1.privateKey);
      expect(await send(legacy)).to.deep.equal({ code: -50100, message: "Private transactions to flexible privacy groups must use privacyGroupId" });
      expect(await send(lockTx({ privacyGroupId: newGroupId() }))).to.deep.equal({ code: -50100, message: "Flexible Privacy group does not exist." });
    });

    it("a recipient key no enclave holds, a privateFrom this node does not hold", async function () {
      const stranger = randomBytes(32).toString("base64");
      const create = await signFor({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId: newGroupId(), to: PROXY, data: addData([KEY1, stranger]) });
      expect(await send(create)).to.deep.equal({ code: -50200, message: "Recipient not found for key:" });
      const fromKey2 = await signFor({ url: url1, signer: SIGNER1, privateFrom: KEY2, groupId: newGroupId(), to: PROXY, data: addData([KEY1, KEY2]) });
      expect(await send(fromKey2)).to.deep.equal({ code: -50100, message: "Error communicating with enclave" });
    });

    it("a gas limit below the marker's intrinsic gas, or above the block gas limit; a gas price nobody pays", async function () {
      expect(await send(lockTx({ nonce: 4, gasLimit: 21_000 }))).to.deep.equal({
        code: -50100,
        message: "Privacy Marker Transaction failed due to intrinsic gas exceeding the limit. Gas limit used from the Private Transaction.",
      });
      expect(await send(lockTx({ nonce: 4, gasLimit: 60_000_000 }))).to.deep.equal({ code: -32005, message: "Transaction gas limit exceeds block gas limit" });
      expect(await send(lockTx({ nonce: 4, gasPrice: 1000 }))).to.deep.equal({ code: -32004, message: "Upfront cost exceeds account balance" });
      expect(await call(url1, "priv_getTransactionCount", [SIGNER1.address, groupId])).to.equal("0x4");
    });

    it("priv_distributeRawTransaction refuses a privateFrom that is not the node's key", async function () {
      const raw = lockTx({ nonce: 4, privateFrom: KEY2 });
      expect(await rpcError(url1, "priv_distributeRawTransaction", [raw])).to.deep.equal({ code: -50100, message: "Private from does not match enclave public key" });
      expect(await rpcError(url1, "priv_distributeRawTransaction", [])).to.deep.equal({ code: -32602, message: "Invalid transaction params (missing or incorrect)" });
    });
  });

  describe("the HTTP server", function () {
    it("answers malformed JSON with -32700 and HTTP 400", async function () {
      const reply = await post(url1, "{ not json");
      expect(reply).to.deep.equal({ status: 400, json: { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } } });
    });

    it("answers a request without a method, or with an id of a wrong type, with -32600 and HTTP 400", async function () {
      for (const body of [{ jsonrpc: "2.0", id: 1 }, { jsonrpc: "2.0", id: {}, method: "eth_chainId" }, 7]) {
        const reply = await post(url1, JSON.stringify(body));
        expect(reply.status).to.equal(400);
        expect((reply.json as { error: unknown }).error).to.deep.equal({ code: -32600, message: "Invalid Request" });
      }
    });

    it("answers params that are not a list with -32602", async function () {
      const reply = await post(url1, JSON.stringify({ jsonrpc: "2.0", id: 3, method: "eth_chainId", params: { a: 1 } }));
      expect(reply.json).to.deep.equal({ jsonrpc: "2.0", id: 3, error: { code: -32602, message: "Invalid params" } });
    });

    it("answers a batch in order, each element on its own; an empty batch is -32600", async function () {
      const batch = [
        { jsonrpc: "2.0", id: "a", method: "eth_chainId", params: [] },
        { jsonrpc: "2.0", id: "b", method: "priv_nothing", params: [] },
        "junk",
        { jsonrpc: "2.0", id: "c", method: "priv_getPrivacyPrecompileAddress", params: [] },
      ];
      const reply = await post(url1, JSON.stringify(batch));
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal([
        { jsonrpc: "2.0", id: "a", result: "0x539" },
        { jsonrpc: "2.0", id: "b", error: { code: -32601, message: "Method not found" } },
        { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid Request" } },
        { jsonrpc: "2.0", id: "c", result: "0x000000000000000000000000000000000000007d" },
      ]);
      const empty = await post(url1, "[]");
      expect(empty.status).to.equal(400);
    });

    it("refuses a body over 5 MB with HTTP 413 and keeps serving", async function () {
      const huge = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: ["x".repeat(6 * 1024 * 1024)] });
      const reply = await post(url1, huge);
      expect(reply).to.deep.equal({ status: 413, json: { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid Request" } } });
      expect(await call(url1, "eth_chainId")).to.equal("0x539");
    });

    it("keeps every node serving after all of the above", async function () {
      const counts = await Promise.all(network.nodes.map(async (node) => (await rpc(node.url, "priv_getTransactionCount", [SIGNER1.address, groupId])).body.result));
      expect(counts).to.deep.equal(["0x4", "0x4", "0x0"]); // node3 is no member: it has no state for the group
    });
  });
});
