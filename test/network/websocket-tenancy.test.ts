import { expect } from "chai";
import { SignJWT, exportSPKI, generateKeyPair } from "jose";
import { type PrivacyNetwork } from "../../src/network";
import type { AccessRules } from "../../src/network/types";
import { counter, counterCreationCode } from "../helpers/network/contracts";
import { KEY1, KEY2, KEY3, PROXY, SIGNER1, addData, newGroupId, removeData } from "../helpers/network/group";
import { startTestNetwork } from "../helpers/network/network";
import { signPrivateTx } from "../helpers/network/private-tx";
import { WsClient } from "../helpers/network/ws";

type Receipt = { status: string; blockNumber: string; contractAddress?: string };

/** A tenant's private transaction over its own socket (token on the upgrade); returns the private receipt. */
async function sendOver(client: WsClient, privateFrom: string, groupId: string, to: string | null, data: string): Promise<Receipt> {
  const nonce = Number(await client.result<string>("priv_getTransactionCount", [SIGNER1.address, groupId]));
  const raw = signPrivateTx({ nonce, to, data, privateFrom, privacyGroupId: groupId, chainId: 1337 }, SIGNER1.privateKey);
  const markerHash = await client.result<string>("eea_sendRawTransaction", [raw]);
  const receipt = await client.result<Receipt>("priv_getTransactionReceipt", [markerHash]);
  expect(receipt.status).to.equal("0x1");
  return receipt;
}

const blockOf = (message: { params?: { result: unknown } }) => Number((message.params!.result as { blockNumber: string }).blockNumber);

for (const accessRules of ["documented", "besu-25.5"] as AccessRules[]) {
  describe(`network: WebSocket under multi-tenancy (accessRules "${accessRules}")`, function () {
    let network: PrivacyNetwork;
    let wsUrl: string;
    let alice: WsClient, bob: WsClient, carol: WsClient;
    let groupId: string;
    let counterAddress: string;

    before(async function () {
      const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
      const publicKeyPem = await exportSPKI(publicKey);
      network = await startTestNetwork((config) => {
        config.accessRules = accessRules;
        config.nodes = [{ name: "tenants", rpcPort: 0, enclaveKeys: [KEY1, KEY2, KEY3], multiTenancy: true, jwt: { publicKeyPem, algorithm: "RS256" } }];
      });
      wsUrl = network.nodes[0].wsUrl;
      const exp = Math.floor(Date.now() / 1000) + 3600;
      const connect = async (key: string) => {
        const jwt = await new SignJWT({ permissions: ["*:*"], privacyPublicKey: key, exp }).setProtectedHeader({ alg: "RS256" }).sign(privateKey);
        return WsClient.open(wsUrl, { authorization: `Bearer ${jwt}` });
      };
      [alice, bob, carol] = await Promise.all([KEY1, KEY2, KEY3].map(connect));
      groupId = newGroupId();
      await sendOver(alice, KEY1, groupId, PROXY, addData([KEY1, KEY2]));
      counterAddress = (await sendOver(alice, KEY1, groupId, null, counterCreationCode())).contractAddress!;
    });
    after(async function () {
      for (const client of [alice, bob, carol]) client?.close();
      await network.stop();
    });

    it("takes the token from the upgrade's Authorization header; without one every message is 401 Unauthorized", async function () {
      const anonymous = await WsClient.open(wsUrl);
      try {
        const reply = await anonymous.request("priv_subscribe", [groupId, "logs", {}]);
        expect(reply.error).to.deep.equal({ code: -40100, message: "Unauthorized" });
        expect(await alice.result("eth_chainId")).to.equal("0x539");
      } finally {
        anonymous.close();
      }
    });

    it("refuses priv_subscribe to a group the tenant is not a member of, as it refuses priv_newFilter", async function () {
      const reply = await carol.request("priv_subscribe", [groupId, "logs", {}]);
      expect(reply.error).to.deep.equal({ code: -40100, message: "Unauthorized" });
      expect((await carol.request("priv_newFilter", [groupId, {}])).error).to.deep.equal(reply.error);
    });

    it("a removed member's subscription ends: nothing from the removal block on reaches it", async function () {
      const before = network.nodes[0].subscriptionCount();
      const bobs = await bob.result<string>("priv_subscribe", [groupId, "logs", {}]);
      const alices = await alice.result<string>("priv_subscribe", [groupId, "logs", { address: counterAddress }]);
      const first = await sendOver(alice, KEY1, groupId, counterAddress, counter.encodeFunctionData("set", [1]));
      await bob.next((message) => message.params?.subscription === bobs && blockOf(message) === Number(first.blockNumber));
      const removal = await sendOver(alice, KEY1, groupId, PROXY, removeData(KEY2));
      const after = await sendOver(alice, KEY1, groupId, counterAddress, counter.encodeFunctionData("set", [2]));
      // Alice's notification of the later event means the node has sent everything of those blocks.
      await alice.next((message) => message.params?.subscription === alices && blockOf(message) === Number(after.blockNumber));
      const received = bob.notifications(bobs).map(blockOf);
      expect(received).to.include(Number(first.blockNumber));
      expect(received.filter((block) => block >= Number(removal.blockNumber))).to.deep.equal([]);
      expect(network.nodes[0].subscriptionCount()).to.equal(before + 1);
      // Unsubscribing is a head-membership method, as in Besu: Bob is no member now.
      expect((await bob.request("priv_unsubscribe", [groupId, bobs])).error).to.deep.equal({ code: -40100, message: "Unauthorized" });
    });
  });
}
