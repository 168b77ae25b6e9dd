import { expect } from "chai";
import { type Hex, createWalletClient, webSocket } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEFAULT_NODES } from "../../src/network/defaults";
import { type WatchedPrivateLog, privateActions } from "../../src/viem";
import { PrivateCounter__factory } from "../../typechain-types";
import { startTestNetwork } from "../helpers/network/network";
import { privateClients } from "../helpers/viem";

const { abi, bytecode } = PrivateCounter__factory;
const [, KEY2] = DEFAULT_NODES.map((node) => node.enclaveKey);
const HOUR = 3_600_000;

const until = async (done: () => boolean, ms = 3_000) => {
  for (let waited = 0; !done() && waited < ms; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe("viem: flexible-privacy-groups/viem over WebSocket", function () {
  this.timeout(60_000);
  let network: Awaited<ReturnType<typeof startTestNetwork>>;
  const clients = () => privateClients(network, (node) => webSocket(node.wsUrl));

  before(async function () {
    network = await startTestNetwork();
  });
  after(async function () {
    for (const client of clients()) (await client.transport.getRpcClient()).close();
    await network.stop();
  });

  it("creates a group, deploys, writes and reads over a ws:// transport", async function () {
    const [alice, bob] = clients();
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const { address } = await alice.deployPrivateContract({ privacyGroupId, abi, bytecode: bytecode as Hex, args: [5n] });
    await bob.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" });
    expect(await alice.readPrivateContract({ privacyGroupId, address, abi, functionName: "value" })).to.equal(1n);
  });

  it("watches with priv_subscribe: Besu pushes each event (no poll would run within the hour), and unwatching ends it", async function () {
    const [alice, bob] = clients();
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const { address } = await alice.deployPrivateContract({ privacyGroupId, abi, bytecode: bytecode as Hex, args: [5n] });
    const seen: WatchedPrivateLog<typeof abi>[] = [];
    const errors: Error[] = [];
    const node = network.nodes[1];
    const before = node.subscriptionCount();
    const unwatch = bob.watchPrivateContractEvent({
      privacyGroupId,
      address,
      abi,
      pollingInterval: HOUR,
      onLogs: (logs) => seen.push(...logs),
      onError: (error) => errors.push(error),
    });
    await until(() => node.subscriptionCount() === before + 1); // the subscription is made before the first write
    expect(node.subscriptionCount()).to.equal(before + 1);
    await alice.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" });
    await alice.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" });
    await until(() => seen.length >= 2);
    expect(errors).to.deep.equal([]);
    expect(seen.map(({ eventName, args }) => ({ eventName, args }))).to.deep.equal([
      { eventName: "Counted", args: { by: alice.account.address, value: 1n } },
      { eventName: "Counted", args: { by: alice.account.address, value: 2n } },
    ]);
    unwatch();
    await until(() => node.subscriptionCount() === before);
    expect(node.subscriptionCount(), "priv_unsubscribe freed it").to.equal(before);
    await alice.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" });
    await until(() => false, 200);
    expect(seen).to.have.length(2);
  });

  it("polls priv_getLogs over a WebSocket when asked to (poll: true)", async function () {
    const [alice, bob] = clients();
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const { address } = await alice.deployPrivateContract({ privacyGroupId, abi, bytecode: bytecode as Hex, args: [5n] });
    const seen: WatchedPrivateLog<typeof abi>[] = [];
    const unwatch = bob.watchPrivateContractEvent({
      privacyGroupId,
      address,
      abi,
      poll: true,
      pollingInterval: 20,
      onLogs: (logs) => seen.push(...logs),
    });
    await until(() => false, 60); // the first poll sets where watching starts
    await alice.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" });
    await until(() => seen.length >= 1);
    unwatch();
    expect(seen.map(({ args }) => args)).to.deep.equal([{ by: alice.account.address, value: 1n }]);
  });

  it("a subscription whose socket closes reports it through onError", async function () {
    const [alice, bob] = clients();
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const watcher = createWalletClient({
      account: privateKeyToAccount(DEFAULT_NODES[1].privateKey as Hex),
      transport: webSocket(network.nodes[1].wsUrl, { key: "closing", reconnect: false }),
    }).extend(privateActions({ enclaveKey: KEY2 }));
    const errors: Error[] = [];
    const unwatch = watcher.watchPrivateContractEvent({
      privacyGroupId,
      address: bob.account.address,
      abi,
      onLogs: () => undefined,
      onError: (error) => errors.push(error),
    });
    await until(() => false, 100);
    (await watcher.transport.getRpcClient()).socket.close();
    await until(() => errors.length > 0);
    unwatch();
    expect(errors.map((error) => error.name)).to.deep.equal(["PrivateActionError"]);
    expect(errors[0].message).to.contain("the WebSocket closed");
  });
});
