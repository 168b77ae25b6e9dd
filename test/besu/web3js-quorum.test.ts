import { expect } from "chai";
import { FlexiblePrivacyGroup } from "../../src";
import { PrivateCounter__factory } from "../../typechain-types";
import { KEY1, KEY2, KEY3, startClientNetwork, type ClientNetwork } from "../helpers/client-network";
import { type FlexibleGroupApi, type QuorumSubscription, Web3, Web3Quorum, privateKeyOf } from "../helpers/web3js-quorum";

describe("client: interop with web3js-quorum 22.4.0 (bytes[] ABI of its PR #58), both ways", function () {
  let net: ClientNetwork;
  let quorum1: FlexibleGroupApi;
  let quorum2: FlexibleGroupApi;

  before(async function () {
    net = await startClientNetwork();
    [quorum1, quorum2] = net.network.nodes
      .slice(0, 2)
      .map((node) => Web3Quorum(new Web3(node.url)).eth.flexiblePrivacyGroup);
  });
  after(async () => net.stop());

  it("a group web3js-quorum creates is found, read and changed by this client", async function () {
    const created = await quorum1.create({ participants: [KEY1, KEY2], enclaveKey: KEY1, privateKey: privateKeyOf(0) });
    expect(created.status).to.equal("0x1");
    const id = created.privacyGroupId;

    const found = await FlexiblePrivacyGroup.find(net.providers[1], [KEY1, KEY2]);
    expect(found.map((group) => group.privacyGroupId)).to.include(id);
    // The same account owns it, so this client can change it, with nonces that follow web3js-quorum's.
    const group = FlexiblePrivacyGroup.at(net.signers[0], id);
    expect(await group.members()).to.deep.equal([KEY1, KEY2]);
    await group.addMembers([KEY3]);
    await group.removeMember(KEY2);
    expect(await quorum1.getParticipants({ privacyGroupId: id })).to.have.members([KEY1, KEY3]);
    expect(
      await quorum1.addTo({ participants: [KEY2], enclaveKey: KEY1, privateKey: privateKeyOf(0), privacyGroupId: id }),
    ).to.include({
      status: "0x1",
    });
    expect(await group.members()).to.have.members([KEY1, KEY2, KEY3]);
  });

  it("a group this client creates is found, read and changed by web3js-quorum", async function () {
    const group = await FlexiblePrivacyGroup.create(net.signers[0], [KEY1, KEY2]);
    const found = await quorum2.find([KEY2]);
    expect(found.map((entry) => entry.privacyGroupId)).to.include(group.privacyGroupId);
    expect(await quorum2.getParticipants({ privacyGroupId: group.privacyGroupId })).to.deep.equal([KEY1, KEY2]);

    const added = await quorum1.addTo({
      participants: [KEY3],
      enclaveKey: KEY1,
      privateKey: privateKeyOf(0),
      privacyGroupId: group.privacyGroupId,
    });
    expect(added.status).to.equal("0x1");
    const removed = await quorum1.removeFrom({
      participant: KEY2,
      enclaveKey: KEY1,
      privateKey: privateKeyOf(0),
      privacyGroupId: group.privacyGroupId,
    });
    expect(removed.status).to.equal("0x1");
    expect(await group.members()).to.have.members([KEY1, KEY3]);
    expect((await group.history()).map(({ kind, key }) => [kind, key])).to.deep.equal([
      ["added", KEY1],
      ["added", KEY2],
      ["added", KEY3],
      ["removed", KEY2],
    ]);
    // And this client goes on after web3js-quorum used the same account's nonces.
    await group.addMembers([KEY2]);
    expect(await group.members()).to.have.members([KEY1, KEY2, KEY3]);
  });

  it("web3js-quorum's subscribeWithPooling over its WebSocket provider uses priv_subscribe and gets the group's logs", async function () {
    const node = net.network.nodes[0];
    const web3 = Web3Quorum(new Web3(node.wsUrl));
    try {
      expect(web3.currentProvider.constructor.name).to.equal("WebsocketProvider");
      const group = await FlexiblePrivacyGroup.create(net.signers[0], [KEY1, KEY2]);
      const counter = await group.deploy(new PrivateCounter__factory(), 10);
      const address = (await counter.getAddress()).toLowerCase();
      let subscriptionId: string | undefined;
      const subscription = await web3.priv.subscribeWithPooling(group.privacyGroupId, { address }, (error, id) => {
        expect(error).to.equal(undefined);
        subscriptionId = id;
      });
      expect(node.subscriptionCount()).to.equal(1); // priv_subscribe, not a polled filter
      const data = new Promise<Parameters<Parameters<QuorumSubscription["on"]>[1]>[0]>((resolve) => subscription.on("data", resolve));
      await (await counter.increment()).wait();
      const params = await data;
      expect(params.subscription).to.equal(subscriptionId);
      expect(params.privacyGroupId).to.equal(group.privacyGroupId);
      expect(params.result.address.toLowerCase()).to.equal(address);
      expect(counter.interface.parseLog(params.result)!.name).to.equal("Counted");
      await new Promise((resolve, reject) => void subscription.unsubscribe((error, result) => (error ? reject(error) : resolve(result))));
      expect(node.subscriptionCount()).to.equal(0);
    } finally {
      web3.currentProvider.disconnect();
    }
  });
});
