import { expect } from "chai";
import { type CryptoKey, SignJWT, exportSPKI, generateKeyPair } from "jose";
import { type PrivacyNetwork, startPrivacyNetwork } from "../../src/network";
import { defaultNetworkConfig } from "../../src/network/defaults";
import type { NetworkConfig } from "../../src/network/types";
import { KEY1, KEY2, PROXY, SIGNER1, addData, createGroup, newGroupId, signFor } from "../helpers/network/group";
import { startTestNetwork } from "../helpers/network/network";
import { call, post, rpcError } from "../helpers/network/rpc";

const address = (i: number) => "0x" + i.toString(16).padStart(40, "0");
const topic = (i: number) => "0x" + i.toString(16).padStart(64, "0");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("network: private filters are bounded: per tenant, per filter, and in time", function () {
  describe("on an ordinary node", function () {
    let network: PrivacyNetwork;
    let url: string;
    let groupId: string;

    before(async function () {
      network = await startTestNetwork((config: NetworkConfig) => {
        config.maxFiltersPerTenant = 3;
        config.maxFilterAddresses = 4;
        config.maxFilterTopics = 5;
        config.filterTimeoutMs = 400;
      });
      url = network.nodes[0].url;
      ({ groupId } = await createGroup(url, SIGNER1, KEY1, [KEY1, KEY2]));
    });
    after(async () => network.stop());

    it("refuses a filter with more addresses or topics than allowed, naming the limit, and installs nothing", async function () {
      const addresses = await rpcError(url, "priv_newFilter", [groupId, { address: [1, 2, 3, 4, 5].map(address) }]);
      expect(addresses.code).to.equal(-32005);
      expect(addresses.message).to.include("5 addresses, at most 4").and.to.include("maxFilterAddresses");
      const topics = await rpcError(url, "priv_newFilter", [groupId, { topics: [[topic(1), topic(2), topic(3)], null, [topic(4), topic(5), topic(6)]] }]);
      expect(topics.message).to.include("6 topics, at most 5").and.to.include("maxFilterTopics");
      // At the limits, a filter installs.
      const id = await call<string>(url, "priv_newFilter", [groupId, { address: [1, 2, 3, 4].map(address), topics: [[topic(1), topic(2)], [topic(3), topic(4), topic(5)]] }]);
      expect(await call(url, "priv_uninstallFilter", [groupId, id])).to.equal(true);
    });

    it("refuses a filter past the per-node count with a named error, and takes one again after an uninstall", async function () {
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(await call<string>(url, "priv_newFilter", [groupId, {}]));
      const refused = await rpcError(url, "priv_newFilter", [groupId, {}]);
      expect(refused.code).to.equal(-32005);
      expect(refused.message).to.include("at most 3").and.to.include("priv_uninstallFilter");
      await call(url, "priv_uninstallFilter", [groupId, ids[0]]);
      ids[0] = await call<string>(url, "priv_newFilter", [groupId, {}]);
      for (const id of ids) await call(url, "priv_uninstallFilter", [groupId, id]);
    });

    it("uninstalls a filter nobody polled for filterTimeoutMs; polling keeps a filter alive", async function () {
      const idle = await call<string>(url, "priv_newFilter", [groupId, {}]);
      const polled = await call<string>(url, "priv_newFilter", [groupId, {}]);
      for (let i = 0; i < 4; i++) {
        await sleep(200);
        await call(url, "priv_getFilterChanges", [groupId, polled]);
      }
      expect((await rpcError(url, "priv_getFilterChanges", [groupId, idle])).message).to.equal("Filter not found");
      expect((await rpcError(url, "priv_getFilterLogs", [groupId, idle])).message).to.equal("Logs filter not found");
      expect(await call(url, "priv_getFilterChanges", [groupId, polled])).to.deep.equal([]);
      // The expired filter no longer counts against the limit: three new ones fit beside the polled one.
      for (let i = 0; i < 2; i++) await call<string>(url, "priv_newFilter", [groupId, {}]);
    });
  });

  describe("on a multi-tenancy node", function () {
    const ALICE = Buffer.alloc(32, 0xa1).toString("base64");
    const MALLORY = Buffer.alloc(32, 0x3e).toString("base64");
    let network: PrivacyNetwork;
    let url: string;
    let privateKey: CryptoKey;
    let groupId: string;

    const asTenant = async (key: string, method: string, params: unknown[]) => {
      const jwt = await new SignJWT({ permissions: ["*:*"], privacyPublicKey: key, exp: Math.floor(Date.now() / 1000) + 3600 })
        .setProtectedHeader({ alg: "RS256" })
        .sign(privateKey);
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
      const { status, json } = await post(url, body, { authorization: `Bearer ${jwt}` });
      return { status, ...(json as { result?: unknown; error?: { code: number; message: string } }) };
    };

    before(async function () {
      const pair = await generateKeyPair("RS256", { extractable: true });
      privateKey = pair.privateKey;
      const config = defaultNetworkConfig();
      config.maxFiltersPerTenant = 1;
      config.nodes = [
        {
          name: "tenants",
          rpcPort: 0,
          enclaveKeys: [ALICE, MALLORY],
          multiTenancy: true,
          jwt: { publicKeyPem: await exportSPKI(pair.publicKey), algorithm: "RS256" },
        },
        { ...config.nodes[1], rpcPort: 0 },
      ];
      network = await startPrivacyNetwork(config);
      url = network.nodes[0].url;
      groupId = newGroupId();
      const raw = await signFor({ url, signer: SIGNER1, privateFrom: ALICE, groupId, to: PROXY, data: addData([ALICE, KEY2]), nonce: 0 });
      const sent = await asTenant(ALICE, "eea_sendRawTransaction", [raw]);
      expect(sent.error).to.equal(undefined);
      expect((await asTenant(ALICE, "priv_getTransactionReceipt", [sent.result])).result).to.include({ status: "0x1" });
    });
    after(async () => network.stop());

    it("refuses a filter on a made-up group id, where the tenant's membership cannot be shown, and installs nothing", async function () {
      for (const key of [MALLORY, ALICE]) {
        const reply = await asTenant(key, "priv_newFilter", [newGroupId(), { address: [address(1)] }]);
        expect(reply.status).to.equal(401);
        expect(reply.error?.message).to.equal("Unauthorized");
      }
      // Alice may hold one filter: the refused one took no place.
      const own = await asTenant(ALICE, "priv_newFilter", [groupId, {}]);
      expect(own.result).to.be.a("string");
      expect((await asTenant(ALICE, "priv_newFilter", [groupId, {}])).error?.code).to.equal(-32005);
      await asTenant(ALICE, "priv_uninstallFilter", [groupId, own.result]);
    });

    it("refuses a filter on a group the tenant is not a member of", async function () {
      expect((await asTenant(MALLORY, "priv_newFilter", [groupId, {}])).status).to.equal(401);
    });
  });
});
