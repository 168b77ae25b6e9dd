import { expect } from "chai";
import { Wallet } from "ethers";
import { type CryptoKey, SignJWT, type JWTPayload, exportSPKI, generateKeyPair } from "jose";
import { type PrivacyNetwork, startPrivacyNetwork } from "../../src/network";
import { defaultNetworkConfig } from "../../src/network/defaults";
import type { AccessRules, JwtAlgorithm } from "../../src/network/types";
import { PROXY, SIGNER1, SIGNER2, addData, lockData, management, newGroupId, removeData } from "../helpers/network/group";
import { signPrivateTx } from "../helpers/network/private-tx";
import { post } from "../helpers/network/rpc";

const tenant = (seed: number) => Buffer.alloc(32, seed).toString("base64");
const ALICE = tenant(0xa1); // owns the group
const BOB = tenant(0xb0); // member, removed, later added again
const CAROL = tenant(0xc0); // added after Bob's removal
const DAVE = tenant(0xd0); // the only tenant of the EC node
const GET_PARTICIPANTS = { to: PROXY, data: management.encodeFunctionData("getParticipants") };
const hex = (n: number) => "0x" + n.toString(16);
const PRIVACY_PRECOMPILE = "0x000000000000000000000000000000000000007d";
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

type Reply = { status: number; body: { id?: unknown; result?: unknown; error?: { code: number; message: string } } };

interface Signer {
  algorithm: JwtAlgorithm;
  privateKey: CryptoKey;
  publicKeyPem: string;
}

async function signer(algorithm: JwtAlgorithm): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(algorithm, { extractable: true });
  return { algorithm, privateKey, publicKeyPem: await exportSPKI(publicKey) };
}

function token(by: Signer, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: by.algorithm }).sign(by.privateKey);
}

const tenantToken = (by: Signer, key: string) =>
  token(by, { permissions: ["*:*"], privacyPublicKey: key, exp: inAnHour() });

let nextId = 1;
async function rpc(url: string, jwt: string | undefined, method: string, params: unknown[] = []): Promise<Reply> {
  const headers: Record<string, string> = jwt === undefined ? {} : { authorization: `Bearer ${jwt}` };
  const { status, json } = await post(url, JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }), headers);
  return { status, body: json as Reply["body"] };
}

async function result<T>(url: string, jwt: string, method: string, params: unknown[] = []): Promise<T> {
  const reply = await rpc(url, jwt, method, params);
  if (reply.body.error !== undefined)
    throw new Error(`${method}: ${reply.body.error.code} ${reply.body.error.message}`);
  return reply.body.result as T;
}

/** The error of a call that must fail, with its HTTP status and whether the id came back. */
async function refusal(url: string, jwt: string | undefined, method: string, params: unknown[] = []) {
  const id = nextId;
  const reply = await rpc(url, jwt, method, params);
  if (reply.body.error === undefined) throw new Error(`${method} succeeded with ${JSON.stringify(reply.body.result)}`);
  return {
    status: reply.status,
    code: reply.body.error.code,
    message: reply.body.error.message,
    idKept: reply.body.id === id,
  };
}

/** Sends a private transaction as a tenant (eea_sendRawTransaction) and returns its private receipt. */
async function sendAs(url: string, jwt: string, privateFrom: string, groupId: string, data: string, from = SIGNER1) {
  const nonce = Number(await result<string>(url, jwt, "priv_getTransactionCount", [from.address, groupId]));
  const raw = signPrivateTx(
    { nonce, to: PROXY, data, privateFrom, privacyGroupId: groupId, chainId: 1337 },
    from.privateKey,
  );
  const markerHash = await result<string>(url, jwt, "eea_sendRawTransaction", [raw]);
  const receipt = await result<{ status: string; blockNumber: string }>(url, jwt, "priv_getTransactionReceipt", [
    markerHash,
  ]);
  return { markerHash, status: receipt.status, blockNumber: Number(receipt.blockNumber) };
}

/**
 * Distributes a private transaction now (priv_distributeRawTransaction) and returns a function that mines
 * its marker later (eth_sendRawTransaction to 0x…7d), so the payload's recipients are the members at
 * distribution while the marker lands in a later block.
 */
async function distributeNow(url: string, jwt: string, privateFrom: string, groupId: string, data: string) {
  const nonce = Number(await result<string>(url, jwt, "priv_getTransactionCount", [SIGNER1.address, groupId]));
  const raw = signPrivateTx(
    { nonce, to: PROXY, data, privateFrom, privacyGroupId: groupId, chainId: 1337 },
    SIGNER1.privateKey,
  );
  const enclaveKey = await result<string>(url, jwt, "priv_distributeRawTransaction", [raw]);
  return async (): Promise<string> => {
    const marker = Wallet.createRandom();
    const signed = await marker.signTransaction({
      type: 0,
      to: PRIVACY_PRECOMPILE,
      data: enclaveKey,
      gasPrice: 0,
      gasLimit: 100_000,
      nonce: 0,
      chainId: 1337,
    });
    return result<string>(url, jwt, "eth_sendRawTransaction", [signed]);
  };
}

interface TenancyNetwork {
  network: PrivacyNetwork;
  rsa: Signer;
  ec: Signer;
  /** node1: multi-tenancy, RS256, tenants Alice, Bob and Carol. */
  tenants: string;
  /** node2: multi-tenancy, ES384, tenant Dave. */
  ecNode: string;
}

async function startTenancyNetwork(accessRules: AccessRules): Promise<TenancyNetwork> {
  const [rsa, ec] = await Promise.all([signer("RS256"), signer("ES384")]);
  const config = defaultNetworkConfig();
  config.accessRules = accessRules;
  config.nodes = [
    {
      name: "tenants",
      rpcPort: 0,
      enclaveKeys: [ALICE, BOB, CAROL],
      multiTenancy: true,
      jwt: { publicKeyPem: rsa.publicKeyPem, algorithm: "RS256" },
    },
    {
      name: "ec",
      rpcPort: 0,
      enclaveKeys: [DAVE],
      multiTenancy: true,
      jwt: { publicKeyPem: ec.publicKeyPem, algorithm: "ES384" },
    },
    { ...config.nodes[2], rpcPort: 0 },
  ];
  const network = await startPrivacyNetwork(config);
  return { network, rsa, ec, tenants: network.nodes[0].url, ecNode: network.nodes[1].url };
}

/**
 * Alice creates a group with Bob; Bob installs a filter; Alice distributes a payload to both; Alice removes
 * Bob (block R); the distributed payload's marker lands at R+1 (dropped: the version moved); Alice adds
 * Carol (lock, add). Every step goes through node1's HTTP with the tenants' tokens.
 */
async function removedTenantStory(net: TenancyNetwork) {
  const [alice, bob, carol] = await Promise.all([ALICE, BOB, CAROL].map((key) => tenantToken(net.rsa, key)));
  const groupId = newGroupId();
  const created = await sendAs(net.tenants, alice, ALICE, groupId, addData([ALICE, BOB]));
  const filterId = await result<string>(net.tenants, bob, "priv_newFilter", [groupId, { fromBlock: "earliest" }]);
  const mineLater = await distributeNow(net.tenants, alice, ALICE, groupId, lockData());
  const removed = await sendAs(net.tenants, alice, ALICE, groupId, removeData(BOB));
  const deliveredAfterRemoval = await mineLater();
  const locked = await sendAs(net.tenants, alice, ALICE, groupId, lockData());
  const carolAdded = await sendAs(net.tenants, alice, ALICE, groupId, addData([CAROL]));
  for (const step of [created, removed, locked, carolAdded]) expect(step.status).to.equal("0x1");
  const late = await result<{ status: string; blockNumber: string }>(net.tenants, alice, "priv_getTransactionReceipt", [
    deliveredAfterRemoval,
  ]);
  expect(late).to.include({ status: "0x0", blockNumber: hex(removed.blockNumber + 1) });
  return {
    alice,
    bob,
    carol,
    groupId,
    filterId,
    created,
    removed,
    deliveredAfterRemoval,
    locked,
    carolAdded,
    R: removed.blockNumber,
  };
}

describe("multi-tenancy over HTTP", function () {
  describe("authentication (RS256 node and ES384 node)", function () {
    let net: TenancyNetwork;

    before(async function () {
      net = await startTenancyNetwork("documented");
    });

    after(async function () {
      await net?.network.stop();
    });

    it("no token: HTTP 401, -40100 Unauthorized with id null, for every method", async function () {
      for (const method of ["eth_blockNumber", "priv_getPrivacyPrecompileAddress"]) {
        const reply = await rpc(net.tenants, undefined, method);
        expect(reply.status).to.equal(401);
        expect(reply.body).to.deep.equal({
          jsonrpc: "2.0",
          id: null,
          error: { code: -40100, message: "Unauthorized" },
        });
      }
    });

    it("expired, foreign or wrong-algorithm tokens: HTTP 401, -40100 with the request's id", async function () {
      const stranger = await signer("RS256");
      const tokens = [
        await token(net.rsa, { permissions: ["*:*"], privacyPublicKey: ALICE, exp: Math.floor(Date.now() / 1000) - 5 }),
        await token(net.rsa, { permissions: ["*:*"], privacyPublicKey: ALICE }),
        await tenantToken(stranger, ALICE),
        await tenantToken(net.ec, ALICE),
      ];
      for (const jwt of tokens) {
        expect(await refusal(net.tenants, jwt, "eth_blockNumber")).to.deep.equal({
          status: 401,
          code: -40100,
          message: "Unauthorized",
          idKept: true,
        });
      }
    });

    it("each node verifies with its own key and algorithm", async function () {
      const dave = await tenantToken(net.ec, DAVE);
      expect(await result(net.ecNode, dave, "priv_getPrivacyPrecompileAddress")).to.equal(
        "0x000000000000000000000000000000000000007d",
      );
      expect((await refusal(net.tenants, dave, "priv_getPrivacyPrecompileAddress")).status).to.equal(401);
    });

    it("permissions: priv:* does not open privx_; a missing permission is 401 with the id", async function () {
      const jwt = await token(net.rsa, { permissions: ["priv:*"], privacyPublicKey: ALICE, exp: inAnHour() });
      expect(await result(net.tenants, jwt, "priv_getPrivacyPrecompileAddress")).to.be.a("string");
      expect(await refusal(net.tenants, jwt, "privx_findFlexiblePrivacyGroup", [[ALICE]])).to.deep.include({
        status: 401,
        code: -40100,
        idKept: true,
      });
      expect(await refusal(net.tenants, jwt, "eth_blockNumber")).to.deep.include({ status: 401, code: -40100 });
    });

    it("a valid token without a tenant key: engine methods work, privacy methods are 400 -32600 Invalid Request", async function () {
      const jwt = await token(net.rsa, { permissions: ["*:*"], exp: inAnHour() });
      expect(await result(net.tenants, jwt, "eth_chainId")).to.equal("0x539");
      expect(await refusal(net.tenants, jwt, "priv_getPrivacyPrecompileAddress")).to.deep.equal({
        status: 400,
        code: -32600,
        message: "Invalid Request",
        idKept: true,
      });
    });

    it("in a batch, each entry is authorized by itself and answered in place (HTTP 200)", async function () {
      const jwt = await token(net.rsa, { permissions: ["eth:*", "priv:*"], exp: inAnHour() });
      const batch = [
        { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] },
        { jsonrpc: "2.0", id: 2, method: "priv_getPrivacyPrecompileAddress", params: [] },
        { jsonrpc: "2.0", id: 3, method: "net_version", params: [] },
      ];
      const { status, json } = await post(net.tenants, JSON.stringify(batch), { authorization: `Bearer ${jwt}` });
      expect(status).to.equal(200);
      expect(json).to.deep.equal([
        { jsonrpc: "2.0", id: 1, result: "0x539" },
        { jsonrpc: "2.0", id: 2, error: { code: -32600, message: "Invalid Request" } },
        { jsonrpc: "2.0", id: 3, error: { code: -40100, message: "Unauthorized" } },
      ]);
    });

    it("the in-process provider carries no token, so a multi-tenancy node refuses it", async function () {
      const failure = await net.network.nodes[0].provider.request({ method: "eth_chainId" }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).to.deep.include({ code: -40100, message: "Unauthorized" });
      expect(await net.network.nodes[2].provider.request({ method: "eth_chainId" })).to.equal("0x539");
    });

    it("the node keeps serving after every refusal", async function () {
      await rpc(net.tenants, "garbage", "eth_blockNumber");
      await rpc(net.tenants, undefined, "eth_blockNumber");
      expect(await result(net.tenants, await tenantToken(net.rsa, BOB), "eth_blockNumber")).to.match(/^0x/);
    });

    it("a tenant finds only groups that include its own key", async function () {
      const alice = await tenantToken(net.rsa, ALICE);
      const groupId = newGroupId();
      await sendAs(net.tenants, alice, ALICE, groupId, addData([ALICE, BOB]));
      const found = await result<{ privacyGroupId: string }[]>(net.tenants, alice, "privx_findFlexiblePrivacyGroup", [
        [ALICE],
      ]);
      expect(found.map((group) => group.privacyGroupId)).to.include(groupId);
      expect(await refusal(net.tenants, alice, "privx_findFlexiblePrivacyGroup", [[BOB]])).to.deep.include({
        status: 200,
        code: -50100,
        message: "Error finding flexible privacy group",
      });
    });
  });

  describe('removed tenant, accessRules "documented" (the seed\'s rules)', function () {
    let net: TenancyNetwork;
    let story: Awaited<ReturnType<typeof removedTenantStory>>;

    before(async function () {
      net = await startTenancyNetwork("documented");
      story = await removedTenantStory(net);
    });

    after(async function () {
      await net?.network.stop();
    });

    it("reads its transactions and receipts up to and including the removal block", async function () {
      const { bob, created, removed } = story;
      for (const { markerHash } of [created, removed]) {
        expect(
          await result<{ status: string } | null>(net.tenants, bob, "priv_getTransactionReceipt", [markerHash]),
        ).to.include({ status: "0x1" });
        expect(await result<object | null>(net.tenants, bob, "priv_getPrivateTransaction", [markerHash])).to.not.equal(
          null,
        );
      }
    });

    it("gets null for what came after, even a payload its key received before the removal", async function () {
      const { bob, carolAdded, locked, deliveredAfterRemoval } = story;
      for (const markerHash of [locked.markerHash, carolAdded.markerHash, deliveredAfterRemoval]) {
        expect(await result(net.tenants, bob, "priv_getTransactionReceipt", [markerHash])).to.equal(null);
        expect(await result(net.tenants, bob, "priv_getPrivateTransaction", [markerHash])).to.equal(null);
      }
    });

    it("priv_call up to the removal block, 401 after it", async function () {
      const { bob, groupId, R } = story;
      const members = await result<string>(net.tenants, bob, "priv_call", [groupId, GET_PARTICIPANTS, hex(R)]);
      expect(members).to.equal(
        await result<string>(net.tenants, story.alice, "priv_call", [groupId, GET_PARTICIPANTS, hex(R)]),
      );
      for (const block of [hex(R + 1), "latest"]) {
        expect(await refusal(net.tenants, bob, "priv_call", [groupId, GET_PARTICIPANTS, block])).to.deep.equal({
          status: 401,
          code: -40100,
          message: "Unauthorized",
          idKept: true,
        });
      }
    });

    it("priv_getLogs clamped to the removal block, and refused when fromBlock is past it", async function () {
      const { alice, bob, groupId, R } = story;
      type Log = { blockNumber: string; topics: string[] };
      const everything = await result<Log[]>(net.tenants, alice, "priv_getLogs", [groupId, { fromBlock: "earliest" }]);
      const clamped = await result<Log[]>(net.tenants, bob, "priv_getLogs", [
        groupId,
        { fromBlock: "earliest", toBlock: "latest" },
      ]);
      expect(
        everything.some((log) => Number(log.blockNumber) > R),
        "the group has logs after the removal",
      ).to.equal(true);
      expect(clamped).to.deep.equal(everything.filter((log) => Number(log.blockNumber) <= R));
      expect(
        clamped.some((log) => Number(log.blockNumber) === R),
        "the removal block itself is included",
      ).to.equal(true);
      expect(await refusal(net.tenants, bob, "priv_getLogs", [groupId, { fromBlock: hex(R + 1) }])).to.deep.include({
        status: 401,
        code: -40100,
      });
    });

    it("no filters: its filter is refused, a new one too, and the old one is gone for good after a re-add", async function () {
      const { alice, bob, groupId, filterId } = story;
      expect(await refusal(net.tenants, bob, "priv_getFilterChanges", [groupId, filterId])).to.deep.include({
        status: 401,
        code: -40100,
      });
      expect(await refusal(net.tenants, bob, "priv_newFilter", [groupId, {}])).to.deep.include({
        status: 401,
        code: -40100,
      });
      await sendAs(net.tenants, alice, ALICE, groupId, lockData());
      expect((await sendAs(net.tenants, alice, ALICE, groupId, addData([BOB]))).status).to.equal("0x1");
      expect(await refusal(net.tenants, bob, "priv_getFilterLogs", [groupId, filterId])).to.deep.include({
        status: 200,
        code: -32000,
        message: "Logs filter not found",
      });
    });

    it("nothing else: nonce, code, state root and sending are refused with Besu's errors", async function () {
      const groupId = newGroupId();
      const { alice, bob } = story;
      await sendAs(net.tenants, alice, ALICE, groupId, addData([ALICE, BOB]));
      await sendAs(net.tenants, alice, ALICE, groupId, removeData(BOB));
      const nonce = await refusal(net.tenants, bob, "priv_getTransactionCount", [SIGNER2.address, groupId]);
      expect(nonce).to.deep.include({ code: -50100, message: "Unable to determine nonce for account in group." });
      expect(await refusal(net.tenants, bob, "priv_getCode", [groupId, PROXY, "latest"])).to.deep.include({
        status: 401,
      });
      expect(await refusal(net.tenants, bob, "priv_debugGetStateRoot", [groupId, "latest"])).to.deep.include({
        code: -50100,
        message: "Error finding privacy group",
      });
      const raw = signPrivateTx(
        { nonce: 0, to: PROXY, data: lockData(), privateFrom: BOB, privacyGroupId: groupId, chainId: 1337 },
        SIGNER2.privateKey,
      );
      expect(await refusal(net.tenants, bob, "eea_sendRawTransaction", [raw])).to.deep.include({
        code: -50100,
        message: "Error communicating with enclave",
      });
    });

    it("a filter is used only by its owner, through its own group", async function () {
      const { alice, carol, groupId } = story;
      const filterId = await result<string>(net.tenants, alice, "priv_newFilter", [groupId, { fromBlock: "earliest" }]);
      expect(
        await result<unknown[]>(net.tenants, alice, "priv_getFilterLogs", [groupId, filterId]),
      ).to.have.length.greaterThan(0);
      expect(await refusal(net.tenants, carol, "priv_getFilterLogs", [groupId, filterId])).to.deep.include({
        status: 401,
        code: -40100,
      });
    });

    it("a tenant added later sees the group's history", async function () {
      const { carol, created } = story;
      expect(await result(net.tenants, carol, "priv_getTransactionReceipt", [created.markerHash])).to.include({
        status: "0x1",
      });
    });
  });

  describe('removed tenant, accessRules "besu-25.5" (where Besu\'s code differs)', function () {
    let net: TenancyNetwork;
    let story: Awaited<ReturnType<typeof removedTenantStory>>;

    before(async function () {
      net = await startTenancyNetwork("besu-25.5");
      story = await removedTenantStory(net);
    });

    after(async function () {
      await net?.network.stop();
    });

    it("priv_call at the removal block is refused (membership after the block), before it allowed", async function () {
      const { bob, groupId, R } = story;
      expect(await refusal(net.tenants, bob, "priv_call", [groupId, GET_PARTICIPANTS, hex(R)])).to.deep.include({
        status: 401,
      });
      expect(await result(net.tenants, bob, "priv_call", [groupId, GET_PARTICIPANTS, hex(R - 1)])).to.match(/^0x/);
    });

    it("reads whatever the enclave gave its key, even a payload mined after the removal block", async function () {
      const { bob, deliveredAfterRemoval, locked } = story;
      expect(await result(net.tenants, bob, "priv_getTransactionReceipt", [deliveredAfterRemoval])).to.include({
        status: "0x0",
      });
      expect(await result(net.tenants, bob, "priv_getTransactionReceipt", [locked.markerHash])).to.equal(null);
    });

    it("a priv_getLogs range is refused outright, not clamped", async function () {
      const { bob, groupId } = story;
      expect(
        await refusal(net.tenants, bob, "priv_getLogs", [groupId, { fromBlock: "0x0", toBlock: "0x1" }]),
      ).to.deep.include({ status: 401 });
    });

    it("its filter survives the removal and works again once it is re-added", async function () {
      const { alice, bob, groupId, filterId } = story;
      expect(await refusal(net.tenants, bob, "priv_getFilterLogs", [groupId, filterId])).to.deep.include({
        status: 401,
      });
      await sendAs(net.tenants, alice, ALICE, groupId, lockData());
      await sendAs(net.tenants, alice, ALICE, groupId, addData([BOB]));
      const logs = await result<unknown[]>(net.tenants, bob, "priv_getFilterLogs", [groupId, filterId]);
      expect(logs).to.have.length.greaterThan(0);
    });
  });
});
