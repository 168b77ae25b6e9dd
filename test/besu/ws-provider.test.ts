import { expect } from "chai";
import { type Log, Wallet } from "ethers";
import { SignJWT, exportSPKI, generateKeyPair } from "jose";
import {
  BesuErrorCode,
  BesuRpcError,
  FlexiblePrivacyGroup,
  PrivacyProvider,
  PrivacySocketError,
  PrivateSigner,
  UnauthorizedError,
} from "../../src";
import type { RunningNode } from "../../src/network";
import { DEFAULT_NODES } from "../../src/network/defaults";
import { type PrivateCounter, PrivateCounter__factory } from "../../typechain-types";
import { KEY1, KEY2, type ClientNetwork, rejection, startClientNetwork } from "../helpers/client-network";
import { startTestNetwork } from "../helpers/network/network";

const CHAIN_ID = 1337;

/** Waits (bounded) until `condition` holds: a subscription is set up or ended by the node asynchronously. */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) expect.fail(`never happened: ${what}`);
}

/** The next `Counted` event's value, from a listener registered with `on` or `once`. */
function nextCounted(counter: PrivateCounter, how: "on" | "once" = "once"): Promise<bigint> {
  return new Promise((resolve) => void counter[how](counter.getEvent("Counted"), (_by: string, value: bigint) => resolve(value)));
}

describe("client: PrivacyProvider over WebSocket (priv_subscribe for contract events)", function () {
  let net: ClientNetwork;
  let node1: RunningNode;
  let wsProvider: PrivacyProvider;
  let wsCounter: PrivateCounter;
  let httpCounter: PrivateCounter;
  let groupId: string;

  before(async function () {
    net = await startClientNetwork();
    node1 = net.network.nodes[0];
    wsProvider = new PrivacyProvider(node1.wsUrl, { network: CHAIN_ID, pollingInterval: 20 });
    // A group created and a contract deployed over the socket; node 2 sends over HTTP.
    const signer = new PrivateSigner(new Wallet(DEFAULT_NODES[0].privateKey), KEY1, wsProvider, { timeout: 30_000 });
    const group = await FlexiblePrivacyGroup.create(signer, [KEY1, KEY2]);
    groupId = group.privacyGroupId;
    wsCounter = await group.deploy(new PrivateCounter__factory(), 1_000);
    httpCounter = FlexiblePrivacyGroup.at(net.signers[1], group.privacyGroupId).attach(
      new PrivateCounter__factory(),
      await wsCounter.getAddress(),
    );
  });
  after(async function () {
    wsProvider.destroy();
    await net.stop();
  });

  it("a ws:// URL sends every request over one socket, typed methods and private transactions alike", async function () {
    expect(wsProvider.socket).to.not.equal(null);
    expect(net.providers[0].socket).to.equal(null);
    expect(await wsProvider.getPrivacyPrecompileAddress()).to.equal(await net.providers[0].getPrivacyPrecompileAddress());
    const receipt = await (await wsCounter.increment()).wait();
    expect(receipt!.status).to.equal(1);
    expect(await httpCounter.value()).to.equal(await wsCounter.value());
  });

  it("contract.on subscribes with priv_subscribe, gets the event another node's member sent, and off unsubscribes", async function () {
    const before = node1.subscriptionCount();
    const counted = nextCounted(wsCounter, "on");
    await eventually(() => node1.subscriptionCount() === before + 1, "the node holds the subscription");
    await (await httpCounter.increment()).wait();
    expect(await counted).to.equal(await httpCounter.value());
    await wsCounter.removeAllListeners();
    await eventually(() => node1.subscriptionCount() === before, "priv_unsubscribe freed it");
  });

  it("once: one event, then the subscription ends", async function () {
    const before = node1.subscriptionCount();
    const counted = nextCounted(wsCounter, "once");
    await eventually(() => node1.subscriptionCount() === before + 1, "the node holds the subscription");
    await (await httpCounter.increment()).wait();
    expect(await counted).to.equal(await httpCounter.value());
    await eventually(() => node1.subscriptionCount() === before, "once unsubscribed after its event");
  });

  it("pausing the group's provider frees its subscriptions, and resuming subscribes again", async function () {
    const before = node1.subscriptionCount();
    const provider = wsCounter.runner!.provider! as PrivacyProvider;
    const counted = nextCounted(wsCounter, "once");
    await eventually(() => node1.subscriptionCount() === before + 1, "the subscription");
    provider.pause();
    await eventually(() => node1.subscriptionCount() === before, "paused: unsubscribed");
    provider.resume();
    await eventually(() => node1.subscriptionCount() === before + 1, "resumed: subscribed again");
    await (await httpCounter.increment()).wait();
    expect(await counted).to.equal(await httpCounter.value());
  });

  it("over HTTP, contract.on still polls priv_getLogs: no subscription on the node", async function () {
    const before = net.network.nodes[1].subscriptionCount();
    const counted = nextCounted(httpCounter, "once");
    await new Promise((resolve) => setTimeout(resolve, 200)); // the poller takes its starting block first
    await (await wsCounter.increment()).wait();
    expect(await counted).to.equal(await wsCounter.value());
    expect(net.network.nodes[1].subscriptionCount()).to.equal(before);
  });

  it("subscribePrivateLogs hands on ethers Logs of the group; bad input is refused by name", async function () {
    const logs: Log[] = [];
    const subscription = await wsProvider.subscribePrivateLogs(
      groupId,
      { address: await wsCounter.getAddress() },
      { onLog: (log) => logs.push(log) },
    );
    await (await httpCounter.increment()).wait();
    await eventually(() => logs.length === 1, "the log came");
    expect(logs[0].address).to.equal(await wsCounter.getAddress());
    expect(wsCounter.interface.parseLog(logs[0])!.args.value).to.equal(await wsCounter.value());
    expect(await subscription.unsubscribe()).to.equal(true);

    const overHttp = await rejection(net.providers[0].subscribePrivateLogs(groupId, {}, { onLog: () => undefined }));
    expect(overHttp).to.be.instanceOf(PrivacySocketError);
    expect((overHttp as PrivacySocketError).code).to.equal("WEBSOCKET_UNAVAILABLE");
    const badGroup = await rejection(wsProvider.subscribePrivateLogs("not a group", {}, { onLog: () => undefined }));
    expect(badGroup).to.be.instanceOf(BesuRpcError);
    expect((badGroup as BesuRpcError).code).to.equal(BesuErrorCode.InvalidRequest);
    const unknown = await rejection(wsProvider.send("priv_unsubscribe", [groupId, "0x999"]));
    expect(unknown).to.be.instanceOf(BesuRpcError);
  });

  it("a socket to nowhere fails its request with a named error", async function () {
    const nowhere = new PrivacyProvider("ws://127.0.0.1:1", { network: CHAIN_ID });
    const error = await rejection(nowhere.getPrivacyPrecompileAddress());
    expect(error).to.be.instanceOf(PrivacySocketError);
    expect((error as PrivacySocketError).code).to.equal("SOCKET_CLOSED");
    nowhere.destroy();
  });
});

describe("client: WebSocket with multi-tenancy, and a socket that closes", function () {
  it("the JWT goes on the upgrade: a tenant subscribes to its group; without a token every request is refused", async function () {
    const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
    const publicKeyPem = await exportSPKI(publicKey);
    const network = await startTestNetwork((config) => {
      config.nodes[0].multiTenancy = true;
      config.nodes[0].jwt = { publicKeyPem, algorithm: "RS256" };
    });
    const jwt = await new SignJWT({ permissions: ["*:*"], privacyPublicKey: KEY1, exp: Math.floor(Date.now() / 1000) + 3600 })
      .setProtectedHeader({ alg: "RS256" })
      .sign(privateKey);
    const tenant = new PrivacyProvider(network.nodes[0].wsUrl, { network: CHAIN_ID, jwt, pollingInterval: 20 });
    const anonymous = new PrivacyProvider(network.nodes[0].wsUrl, { network: CHAIN_ID });
    try {
      const signer = new PrivateSigner(new Wallet(DEFAULT_NODES[0].privateKey), KEY1, tenant, { timeout: 30_000 });
      const group = await FlexiblePrivacyGroup.create(signer, [KEY1, KEY2]);
      const counter = await group.deploy(new PrivateCounter__factory(), 10);
      const counted = nextCounted(counter, "once");
      await eventually(() => network.nodes[0].subscriptionCount() === 1, "the tenant's subscription");
      await (await counter.increment()).wait();
      expect(await counted).to.equal(1n);
      expect(await rejection(anonymous.getPrivacyPrecompileAddress())).to.be.instanceOf(UnauthorizedError);
    } finally {
      tenant.destroy();
      anonymous.destroy();
      await network.stop();
    }
  });

  it("a subscription the node refuses (over its cap) reaches the provider's error event", async function () {
    const network = await startTestNetwork((config) => {
      config.maxSubscriptionsPerConnection = 1;
    });
    const provider = new PrivacyProvider(network.nodes[0].wsUrl, { network: CHAIN_ID, pollingInterval: 20 });
    try {
      const signer = new PrivateSigner(new Wallet(DEFAULT_NODES[0].privateKey), KEY1, provider, { timeout: 30_000 });
      const group = await FlexiblePrivacyGroup.create(signer, [KEY1, KEY2]);
      await provider.subscribePrivateLogs(group.privacyGroupId, {}, { onLog: () => undefined });
      const counter = await group.deploy(new PrivateCounter__factory(), 10);
      const groupProvider = counter.runner!.provider! as PrivacyProvider;
      const refused = new Promise<unknown>((resolve) => void groupProvider.once("error", resolve));
      await counter.on(counter.getEvent("Counted"), () => undefined);
      const error = await refused;
      expect(error).to.be.instanceOf(BesuRpcError);
      expect(network.nodes[0].subscriptionCount()).to.equal(1);
    } finally {
      provider.destroy();
      await network.stop();
    }
  });

  it("when the node goes away, the subscription ends with SOCKET_CLOSED and later requests fail by name", async function () {
    const network = await startTestNetwork();
    const provider = new PrivacyProvider(network.nodes[0].wsUrl, { network: CHAIN_ID, pollingInterval: 20 });
    try {
      const signer = new PrivateSigner(new Wallet(DEFAULT_NODES[0].privateKey), KEY1, provider, { timeout: 30_000 });
      const group = await FlexiblePrivacyGroup.create(signer, [KEY1, KEY2]);
      const ended = new Promise<unknown>((resolve) =>
        void provider.subscribePrivateLogs(group.privacyGroupId, {}, { onLog: () => undefined, onEnd: resolve }),
      );
      await eventually(() => network.nodes[0].subscriptionCount() === 1, "the subscription");
      await network.stop();
      const end = await ended;
      expect(end).to.be.instanceOf(PrivacySocketError);
      expect((end as PrivacySocketError).code).to.equal("SOCKET_CLOSED");
      const later = await rejection(provider.getPrivacyPrecompileAddress());
      expect((later as PrivacySocketError).code).to.equal("SOCKET_CLOSED");
    } finally {
      provider.destroy();
    }
  });
});
