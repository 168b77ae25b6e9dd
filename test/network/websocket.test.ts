import { expect } from "chai";
import { Wallet } from "ethers";
import { type PrivacyNetwork } from "../../src/network";
import { BACKLOG_CLOSE_CODE } from "../../src/network/rpc/ws-server";
import { counter, counterCreationCode } from "../helpers/network/contracts";
import { KEY1, KEY2, PROXY, SIGNER1, createGroup, receipt, sendPrivate } from "../helpers/network/group";
import { startTestNetwork } from "../helpers/network/network";
import { call, post, rpcError } from "../helpers/network/rpc";
import { WsClient } from "../helpers/network/ws";

/** Deploys the Counter into the group from node `url`; returns its address. */
async function deployCounter(url: string, groupId: string): Promise<string> {
  const markerHash = await sendPrivate({ url, signer: SIGNER1, privateFrom: KEY1, groupId, to: null, data: counterCreationCode() });
  return (await receipt(url, markerHash))!.contractAddress!;
}

const setData = (value: number) => counter.encodeFunctionData("set", [value]);

/** Sends a public transaction from SIGNER1 (gas is free on this network); returns its receipt. */
async function sendPublic(url: string, to: string | null, data: string): Promise<{ contractAddress: string | null; blockNumber: string }> {
  const nonce = Number(await call<string>(url, "eth_getTransactionCount", [SIGNER1.address, "latest"]));
  const signed = await SIGNER1.signTransaction({ type: 0, to, data, nonce, gasPrice: 0, gasLimit: 1_000_000, chainId: 1337 });
  const hash = await call<string>(url, "eth_sendRawTransaction", [signed]);
  return call(url, "eth_getTransactionReceipt", [hash]);
}

type Notification = { subscription: string; privacyGroupId: string; result: { data: string } };
interface PrivateSubscription {
  on(event: "data", listener: (params: Notification) => void): void;
  unsubscribe(callback: (error: unknown, result: unknown) => void): Promise<unknown>;
}
type QuorumWeb3 = {
  priv: { subscribeWithPooling(groupId: string, filter: object, callback: (error: unknown, id?: string) => void): Promise<PrivateSubscription> };
  currentProvider: { disconnect(): void };
};
/* eslint-disable @typescript-eslint/no-require-imports */
const Web3 = require("web3") as { new (provider: unknown): unknown; providers: { WebsocketProvider: new (url: string) => unknown } };
const Web3Quorum = require("web3js-quorum") as (web3: unknown) => QuorumWeb3;
/* eslint-enable @typescript-eslint/no-require-imports */

/** The JSON-RPC answer without its id, to compare HTTP and WebSocket. */
const withoutId = ({ id: _id, ...rest }: Record<string, unknown>) => rest;

describe("network: JSON-RPC over WebSocket, and subscriptions", function () {
  let network: PrivacyNetwork;
  let url: string;
  let wsUrl: string;
  let groupId: string;
  let counterAddress: string;
  const clients: WsClient[] = [];
  const open = async (at = wsUrl) => {
    const client = await WsClient.open(at);
    clients.push(client);
    return client;
  };

  before(async function () {
    network = await startTestNetwork((config) => {
      config.maxExpensivePerBatch = 2;
      config.maxSubscriptionsPerConnection = 3;
      config.maxFilterAddresses = 2;
      config.nodes[2].wsPort = 0;
    });
    url = network.nodes[0].url;
    wsUrl = network.nodes[0].wsUrl;
    ({ groupId } = await createGroup(url, SIGNER1, KEY1, [KEY1, KEY2]));
    counterAddress = await deployCounter(url, groupId);
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  after(async () => network.stop());

  it("answers as HTTP does: single requests, errors and batches, with the same batch limits", async function () {
    const client = await open();
    const requests: [string, unknown[]][] = [
      ["eth_chainId", []],
      ["priv_getPrivacyPrecompileAddress", []],
      ["priv_getTransactionCount", [SIGNER1.address, groupId]],
      ["priv_getCode", [groupId, counterAddress, "latest"]],
      ["priv_getLogs", [groupId, { address: counterAddress }]],
      ["priv_getCode", ["not a group", counterAddress, "latest"]],
      ["no_such_method", []],
    ];
    for (const [method, params] of requests) {
      const body = JSON.stringify({ jsonrpc: "2.0", id: 7, method, params });
      const overHttp = (await post(url, body)).json as Record<string, unknown>;
      const overWs = await client.request(method, params);
      expect(withoutId(overWs), method).to.deep.equal(withoutId(overHttp));
    }
    const call = { to: PROXY, data: "0x5aa68ac0" };
    const batch = JSON.stringify([1, 2, 3].map((id) => ({ jsonrpc: "2.0", id, method: "priv_call", params: [groupId, call, "latest"] })));
    const overHttp = (await post(url, batch)).json as { id: number; error?: { code: number } }[];
    client.socket.send(batch);
    const overWs = await client.next((message) => Array.isArray(message));
    expect(overWs).to.deep.equal(overHttp);
    // The third priv_call passes maxExpensivePerBatch (2) here as over HTTP.
    expect(overHttp[2].error?.code).to.equal(-32005);
  });

  it("priv_subscribe: a private event arrives as Besu's priv_subscription notification, on a member's node", async function () {
    const client = await open(network.nodes[1].wsUrl);
    const id = await client.result<string>("priv_subscribe", [groupId, "logs", { address: counterAddress }]);
    expect(id).to.match(/^0x[0-9a-f]+$/);
    const markerHash = await sendPrivate({ url, signer: SIGNER1, privateFrom: KEY1, groupId, to: counterAddress, data: setData(7) });
    const { blockNumber } = (await receipt(url, markerHash))!;
    const notification = await client.next((message) => message.method === "priv_subscription");
    const [log] = await call<unknown[]>(network.nodes[1].url, "priv_getLogs", [groupId, { fromBlock: blockNumber, toBlock: blockNumber }]);
    expect(notification).to.deep.equal({
      jsonrpc: "2.0",
      method: "priv_subscription",
      params: { subscription: id, privacyGroupId: groupId, result: log },
    });
    expect(Object.keys(notification.params!)).to.deep.equal(["subscription", "privacyGroupId", "result"]);
  });

  it("priv_unsubscribe ends a subscription: true, then Besu's Subscription not found; nothing arrives after", async function () {
    const client = await open();
    const ended = await client.result<string>("priv_subscribe", [groupId, "logs", {}]);
    const kept = await client.result<string>("priv_subscribe", [groupId, "logs", {}]);
    expect(await client.result("priv_unsubscribe", [groupId, ended])).to.equal(true);
    expect((await client.request("priv_unsubscribe", [groupId, ended])).error).to.deep.equal({ code: -32000, message: "Subscription not found" });
    // Another connection cannot end this one's subscription.
    const other = await open();
    expect((await other.request("priv_unsubscribe", [groupId, kept])).error).to.include({ code: -32000 });
    await sendPrivate({ url, signer: SIGNER1, privateFrom: KEY1, groupId, to: counterAddress, data: setData(8) });
    await client.next((message) => message.params?.subscription === kept);
    expect(client.notifications(ended)).to.deep.equal([]);
  });

  it("eth_subscribe newHeads and logs: public blocks and public events, as eth_getBlockByHash and eth_getLogs give them", async function () {
    const client = await open();
    const heads = await client.result<string>("eth_subscribe", ["newHeads"]);
    const { contractAddress } = await sendPublic(url, null, counterCreationCode());
    const logs = await client.result<string>("eth_subscribe", ["logs", { address: contractAddress }]);
    const { blockNumber } = await sendPublic(url, contractAddress, setData(5));
    const head = await client.next((message) => message.params?.subscription === heads && (message.params.result as { number: string }).number === blockNumber);
    const block = await call<{ hash: string }>(url, "eth_getBlockByNumber", [blockNumber, false]);
    expect(head).to.deep.equal({ jsonrpc: "2.0", method: "eth_subscription", params: { subscription: heads, result: block } });
    const log = await client.next((message) => message.params?.subscription === logs);
    const [expected] = await call<unknown[]>(url, "eth_getLogs", [{ blockHash: block.hash, address: contractAddress }]);
    expect(log.params!.result).to.deep.equal(expected);
    expect(await client.result("eth_unsubscribe", [heads])).to.equal(true);
    // A priv_ id is not an eth_ one, and the reverse.
    expect((await client.request("priv_unsubscribe", [groupId, logs])).error).to.include({ code: -32000 });
  });

  it("web3js-quorum's priv.subscribeWithPooling over its WebSocket provider gets the private events", async function () {
    const web3 = Web3Quorum(new Web3(new Web3.providers.WebsocketProvider(network.nodes[1].wsUrl)));
    try {
      const ids: (string | undefined)[] = [];
      const subscription = await web3.priv.subscribeWithPooling(groupId, { address: counterAddress }, (error, id) => {
        if (error !== undefined) throw error;
        ids.push(id);
      });
      const received = new Promise<Notification>((resolve) => subscription.on("data", resolve));
      await sendPrivate({ url, signer: SIGNER1, privateFrom: KEY1, groupId, to: counterAddress, data: setData(11) });
      const notification = await received;
      expect(notification).to.include({ subscription: ids[0], privacyGroupId: groupId });
      expect(counter.decodeEventLog("Set", notification.result.data)[1]).to.equal(11n);
      expect(await subscription.unsubscribe(() => undefined)).to.equal(true);
    } finally {
      web3.currentProvider.disconnect();
    }
  });

  it("over HTTP the subscription methods stay what Besu answers there", async function () {
    expect((await rpcError(url, "priv_subscribe", [groupId, "logs", {}])).code).to.equal(-32604);
    expect((await rpcError(url, "eth_subscribe", ["newHeads"])).code).to.equal(-32601);
  });

  it("refuses unreadable subscription params with Besu's -32600 Invalid Request, subscribing nothing", async function () {
    const before = network.nodes[0].subscriptionCount();
    const client = await open();
    const requests: [string, unknown[]][] = [
      ["eth_subscribe", ["nothing"]],
      ["eth_subscribe", ["logs", { address: "0x12" }]],
      ["priv_subscribe", [groupId, "blocks", {}]],
      ["priv_subscribe", ["not a group", "logs", {}]],
      ["priv_subscribe", [groupId, "logs", { topics: "0x1" }]],
      ["eth_unsubscribe", [7]],
    ];
    for (const [method, params] of requests) {
      expect((await client.request(method, params)).error, `${method} ${JSON.stringify(params)}`).to.deep.equal({ code: -32600, message: "Invalid Request" });
    }
    expect(network.nodes[0].subscriptionCount()).to.equal(before);
  });

  it("caps subscriptions per connection with a named error; a closed socket frees all it held", async function () {
    const before = network.nodes[0].subscriptionCount();
    const client = await open();
    for (let i = 0; i < 3; i++) await client.result("eth_subscribe", ["newHeads"]);
    const refused = await client.request("priv_subscribe", [groupId, "logs", {}]);
    expect(refused.error).to.include({ code: -32005 });
    expect((refused.error as { message: string }).message).to.include("at most 3").and.include("maxSubscriptionsPerConnection");
    expect(network.nodes[0].subscriptionCount()).to.equal(before + 3);
    // Each subscription's filter is bounded as priv_newFilter's is.
    const other = await open();
    const addresses = [1, 2, 3].map((i) => "0x" + i.toString(16).padStart(40, "0"));
    for (const [method, params] of [["priv_subscribe", [groupId, "logs", { address: addresses }]], ["eth_subscribe", ["logs", { address: addresses }]]] as const) {
      const tooLarge = await other.request(method, [...params]);
      expect(tooLarge.error).to.include({ code: -32005 });
      expect((tooLarge.error as { message: string }).message).to.include("maxFilterAddresses");
    }
    // Another connection has its own allowance.
    await other.result("eth_subscribe", ["newHeads"]);
    client.close();
    await client.closed;
    other.close();
    await other.closed;
    await waitFor(() => network.nodes[0].subscriptionCount() === before);
  });

  it("bad frames get a JSON-RPC error or a close with a code, and other clients keep being served", async function () {
    const client = await open();
    const bystander = await open();
    client.socket.send("not json");
    expect(await client.next((message) => message.id === null)).to.deep.equal({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
    client.socket.send("[]");
    await client.next((message) => (message.error as { code?: number } | undefined)?.code === -32600);
    // A binary frame is read as text, as Besu does.
    client.socket.send(Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: 41, method: "eth_chainId", params: [] })), { binary: true });
    expect((await client.next((message) => message.id === 41)).result).to.equal("0x539");
    // A message over the HTTP body limit closes the socket with 1009 (Message Too Big).
    client.socket.send("x".repeat(5 * 1024 * 1024 + 1));
    expect((await client.closed).code).to.equal(1009);
    expect(await bystander.result("eth_chainId")).to.equal("0x539");
  });

  it("a socket closed while notifications are on their way breaks nothing", async function () {
    const client = await open();
    await client.result("priv_subscribe", [groupId, "logs", {}]);
    await client.result("eth_subscribe", ["newHeads"]);
    const sending = sendPrivate({ url, signer: SIGNER1, privateFrom: KEY1, groupId, to: counterAddress, data: setData(9) });
    client.close();
    await receipt(url, await sending);
    const next = await open();
    expect(await next.result("eth_chainId")).to.equal("0x539");
  });

  it("a node's wsPort serves WebSocket alone; plain HTTP there gets Besu's 400", async function () {
    const node = network.nodes[2];
    expect(new URL(node.wsUrl).port).to.not.equal(new URL(node.url).port);
    const client = await open(node.wsUrl);
    expect(await client.result("eth_chainId")).to.equal("0x539");
    const plain = await fetch(node.wsUrl.replace("ws:", "http:"), { method: "POST", body: "{}" });
    expect(plain.status).to.equal(400);
    expect(await plain.text()).to.equal("Websocket endpoint can't handle HTTP requests");
  });

  describe("a client that does not read its notifications", function () {
    let slow: PrivacyNetwork;
    before(async function () {
      slow = await startTestNetwork((config) => {
        config.maxSubscriptionsPerConnection = 1000;
        config.maxWsBufferedBytes = 256 * 1024;
      });
    });
    after(async () => slow.stop());

    it("is closed with 1008 and a reason naming the limit once its backlog passes it; its subscriptions are freed; others are served", async function () {
      const node = slow.nodes[0];
      const client = await WsClient.open(node.wsUrl);
      clients.push(client);
      for (let i = 0; i < 1000; i++) client.socket.send(JSON.stringify({ jsonrpc: "2.0", id: i, method: "eth_subscribe", params: ["newHeads"] }));
      await client.next((message) => message.id === 999);
      expect(node.subscriptionCount()).to.equal(1000);
      // The client stops reading: each block brings about 1.5 MB of notifications (1000 headers).
      client.pause();
      for (let i = 0; i < 4 && node.subscriptionCount() > 0; i++) await sendPublic(node.url, Wallet.createRandom().address, "0x");
      expect(node.subscriptionCount()).to.equal(0);
      const other = await WsClient.open(node.wsUrl);
      clients.push(other);
      expect(await other.result("eth_chainId")).to.equal("0x539");
      client.resume();
      const { code, reason } = await client.closed;
      expect(code).to.equal(BACKLOG_CLOSE_CODE);
      expect(reason).to.include("maxWsBufferedBytes");
    });
  });

  it("stop() ends the open sockets instead of waiting for their clients", async function () {
    const short = await startTestNetwork();
    const client = await WsClient.open(short.nodes[0].wsUrl);
    await client.result("eth_subscribe", ["newHeads"]);
    await short.stop();
    expect((await client.closed).code).to.equal(1006);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(condition()).to.equal(true);
}
