import { expect } from "chai";
import { type Hex, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEFAULT_NODES } from "../../src/network/defaults";
import { PrivateUnauthorizedError, privateActions } from "../../src/viem";
import { PrivateCounter__factory } from "../../typechain-types";
import { TENANT_B, multiTenantNode1, token } from "../helpers/jwt";
import { startTestNetwork } from "../helpers/network/network";

const { abi, bytecode } = PrivateCounter__factory;
const [KEY1, KEY2] = DEFAULT_NODES.map((node) => node.enclaveKey);

describe("viem: a multi-tenant node with JWTs (the token in viem's http fetchOptions)", function () {
  this.timeout(60_000);
  let network: Awaited<ReturnType<typeof startTestNetwork>>;
  /** A client of node 1 as `tenant`, with a token for it (none: anonymous). */
  const client = (tenant: string, jwt?: string) =>
    createWalletClient({
      account: privateKeyToAccount(DEFAULT_NODES[0].privateKey as Hex),
      transport: http(network.nodes[0].url, {
        fetchOptions: jwt === undefined ? {} : { headers: { Authorization: `Bearer ${jwt}` } },
      }),
    }).extend(privateActions({ enclaveKey: tenant }));

  before(async function () {
    network = await startTestNetwork(multiTenantNode1);
  });
  after(async () => network.stop());

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail("expected Unauthorized"),
      (error: unknown) => error,
    );

  it("a tenant with a token creates a group and uses a contract in it; without a token, or expired, Unauthorized", async function () {
    const alice = client(KEY1, token(KEY1));
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const { address } = await alice.deployPrivateContract({ privacyGroupId, abi, bytecode: bytecode as Hex, args: [3n] });
    await alice.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" });
    expect(await alice.readPrivateContract({ privacyGroupId, address, abi, functionName: "value" })).to.equal(1n);

    for (const stranger of [client(KEY1), client(KEY1, token(KEY1, -60))]) {
      const error = await refusal(stranger.getGroupMembers({ privacyGroupId }));
      expect(error).to.be.instanceOf(PrivateUnauthorizedError);
      expect((error as PrivateUnauthorizedError).shortMessage).to.equal("priv_call was refused: Unauthorized");
    }
  });

  it("another tenant of the same node, not a member of the group, is Unauthorized in it", async function () {
    const alice = client(KEY1, token(KEY1));
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const bob = client(TENANT_B, token(TENANT_B));
    const error = await refusal(bob.getGroupHistory({ privacyGroupId }));
    expect(error).to.be.instanceOf(PrivateUnauthorizedError);
    expect((error as PrivateUnauthorizedError).message).to.contain("multi-tenancy");
  });
});
