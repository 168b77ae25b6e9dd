import { expect } from "chai";
import { SignJWT, exportSPKI, generateKeyPair } from "jose";
import type { PrivacyNetwork, RunningNode } from "../../src/network";
import { startTestNetwork } from "../helpers/network/network";
import { post } from "../helpers/network/rpc";

const request = (id: number, method: string, params: unknown[] = []) => ({ jsonrpc: "2.0", id, method, params });

/** The node's in-process answer and its HTTP answer to the same text, side by side. */
async function bothWays(node: RunningNode, text: string, headers: Record<string, string> = {}) {
  const inProcess = await node.answer(text, headers);
  const http = await post(node.url, text, headers);
  return { inProcess: { status: inProcess.status, json: inProcess.body }, http };
}

describe("network: RunningNode.answer, JSON-RPC in process by the rules of HTTP", function () {
  let network: PrivacyNetwork;
  let tenantToken: string;

  before(async function () {
    const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
    const publicKeyPem = await exportSPKI(publicKey);
    network = await startTestNetwork((config) => {
      config.nodes[0].multiTenancy = true;
      config.nodes[0].jwt = { publicKeyPem, algorithm: "RS256" };
    });
    const tenant = network.nodes[0].enclaveKeys[0];
    tenantToken = await new SignJWT({ permissions: ["*:*"], privacyPublicKey: tenant, exp: Math.floor(Date.now() / 1000) + 3600 })
      .setProtectedHeader({ alg: "RS256" })
      .sign(privateKey);
  });
  after(async () => network.stop());

  const texts: [string, string][] = [
    ["one request", JSON.stringify(request(1, "eth_chainId"))],
    ["a batch", JSON.stringify([request(1, "eth_chainId"), request(2, "priv_getPrivacyPrecompileAddress"), request(3, "eth_blockNumber")])],
    ["an unknown method", JSON.stringify(request(4, "priv_noSuchMethod"))],
    ["bad params", JSON.stringify(request(5, "priv_getTransactionCount", ["0x12"]))],
    ["text that is not JSON", "{not json"],
    ["an empty batch", "[]"],
  ];
  for (const [what, text] of texts) {
    it(`${what}: the same status and body as over HTTP`, async function () {
      const { inProcess, http } = await bothWays(network.nodes[1], text);
      expect(inProcess).to.deep.equal(http);
    });
  }

  it("multi-tenancy: refused without a token and answered with one, as over HTTP", async function () {
    const text = JSON.stringify(request(6, "priv_getPrivacyPrecompileAddress"));
    const refused = await bothWays(network.nodes[0], text);
    expect(refused.inProcess).to.deep.equal(refused.http);
    expect(refused.inProcess.status).to.equal(401);
    const answered = await bothWays(network.nodes[0], text, { authorization: `Bearer ${tenantToken}` });
    expect(answered.inProcess).to.deep.equal(answered.http);
    expect(answered.inProcess.status).to.equal(200);
  });
});
