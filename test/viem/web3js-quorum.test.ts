import { expect } from "chai";
import { type Hex, encodeFunctionData, http } from "viem";
import { PrivateCounter__factory } from "../../typechain-types";
import { KEY1, KEY2, KEY3 } from "../helpers/client-network";
import { startTestNetwork } from "../helpers/network/network";
import { privateClients } from "../helpers/viem";
import { type Web3Like, Web3, Web3Quorum, privateKeyOf } from "../helpers/web3js-quorum";

const { abi, bytecode } = PrivateCounter__factory;

describe("viem: interop with web3js-quorum 22.4.0 on one group, both ways", function () {
  this.timeout(60_000);
  let network: Awaited<ReturnType<typeof startTestNetwork>>;
  let quorum: Web3Like[];
  const clients = () => privateClients(network, (node) => http(node.url));

  before(async function () {
    network = await startTestNetwork();
    quorum = network.nodes.map((node) => Web3Quorum(new Web3(node.url)));
  });
  after(async () => network.stop());

  it("a group web3js-quorum creates is used by viem: a deployment, writes from both, the same account's nonces, membership changes", async function () {
    const [alice, bob, carol] = clients();
    const created = await quorum[0].eth.flexiblePrivacyGroup.create({
      participants: [KEY1, KEY2],
      enclaveKey: KEY1,
      privateKey: privateKeyOf(0),
    });
    const { privacyGroupId } = created;
    expect(await bob.findFlexiblePrivacyGroups({ members: [KEY1, KEY2] })).to.deep.include({ privacyGroupId, members: [KEY1, KEY2] });
    const { address } = await alice.deployPrivateContract({ privacyGroupId, abi, bytecode: bytecode as Hex, args: [10n] });
    // web3js-quorum sends from the same account as alice (node 1's key): viem's next send must count again.
    const hash = (await quorum[0].priv.generateAndSendRawTransaction({
      privateKey: privateKeyOf(0),
      privateFrom: KEY1,
      privacyGroupId,
      to: address,
      data: encodeFunctionData({ abi, functionName: "increment" }),
    })) as Hex;
    expect((await bob.waitForPrivateTransactionReceipt({ hash })).outcome).to.equal("success");
    await alice.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" });
    expect(await bob.readPrivateContract({ privacyGroupId, address, abi, functionName: "value" })).to.equal(2n);

    await alice.addGroupMembers({ privacyGroupId, members: [KEY3] });
    expect(await quorum[2].eth.flexiblePrivacyGroup.getParticipants({ privacyGroupId })).to.have.members([KEY1, KEY2, KEY3]);
    expect(await carol.readPrivateContract({ privacyGroupId, address, abi, functionName: "value" })).to.equal(2n);
  });

  it("a group viem creates is found, read and changed by web3js-quorum, and viem goes on after it", async function () {
    const [alice, bob] = clients();
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const found = await quorum[1].eth.flexiblePrivacyGroup.find([KEY2]);
    expect(found.map((group) => group.privacyGroupId)).to.include(privacyGroupId);
    expect(await quorum[1].eth.flexiblePrivacyGroup.getParticipants({ privacyGroupId })).to.deep.equal([KEY1, KEY2]);

    const added = await quorum[0].eth.flexiblePrivacyGroup.addTo({
      participants: [KEY3],
      enclaveKey: KEY1,
      privateKey: privateKeyOf(0),
      privacyGroupId,
    });
    expect(added.status).to.equal("0x1");
    await alice.removeGroupMember({ privacyGroupId, member: KEY2 });
    expect(await quorum[0].eth.flexiblePrivacyGroup.getParticipants({ privacyGroupId })).to.have.members([KEY1, KEY3]);
    expect((await bob.getGroupHistory({ privacyGroupId })).map(({ kind, key }) => [kind, key])).to.deep.equal([
      ["added", KEY1],
      ["added", KEY2],
      ["added", KEY3],
      ["removed", KEY2],
    ]);
  });
});
