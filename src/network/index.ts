/**
 * The local flexible-privacy development network: Besu 25.5's priv_/eea_/privx_ API over Hardhat's EDR,
 * in one process. Its own entry point (flexible-privacy-groups/network): the SDK never imports it.
 */
import type { AddressInfo } from "node:net";
import type http from "node:http";
import { type MembershipChange, membershipHistoryFromLogs } from "../core/history";
import { checkGroupGenesis } from "./config";
import { defaultNetworkConfig } from "./defaults";
import { EnclaveNetwork } from "./chain/enclave";
import { answerText, createRpcServer } from "./rpc/http-server";
import { SubscriptionHub } from "./rpc/subscriptions";
import { attachWebSocket, createWsServer } from "./rpc/ws-server";
import { NodeEndpoint, type NodeHooks, type RpcContext } from "./rpc/endpoint";
import { type Caller, type NetworkCore, PrivacyApi, type PrivateFilter } from "./rpc/privacy-api";
import { enableMultiTenancy } from "./tenancy/enable";
import type { NodePrivacyView } from "./tenancy/rules";
import { privateCommon } from "./state/evm";
import { groupLogs } from "./state/logs";
import { ExecutionMemo, PrivacyNode, type PrivateTransactionEntry } from "./state/node";
import { type PrivateGroup, newPrivateStateContext } from "./state/group";
import { type Eip1193Provider, PublicChain } from "./chain/public-chain";
import { RpcError } from "./rpc/errors";
import { SerialQueue } from "./serial-queue";
import { NetworkSnapshots } from "./state/snapshots";
import { captureState, readStateFile, replayState, writeStateFile } from "./state/state-file";
import type { NetworkConfig } from "./types";
import { GROUP_ADDRESSES } from "../core/constants";

export type { NetworkConfig, NodeConfig, GroupGenesis, AccessRules, JwtConfig, JwtAlgorithm } from "./types";
export { defaultNetworkConfig, DEFAULT_NODES, packageGroupGenesis } from "./defaults";
export type { Caller, PrivateFilter, NodeHooks, RpcContext, PrivateTransactionEntry, Eip1193Provider, NodePrivacyView };
export { RpcError };
export { StateFileError, STATE_FORMAT, STATE_VERSION } from "./state/state-file";

export interface RunningNode {
  name: string;
  /** http://host:port, with the real port when rpcPort was 0. */
  url: string;
  /** ws://host:port: the wsPort if the node has one, otherwise the HTTP port (WebSocket rides its upgrade). */
  wsUrl: string;
  enclaveKeys: string[];
  /** EIP-1193: the node's JSON-RPC in process, acting as the node's own keys (no HTTP, no auth). */
  provider: Eip1193Provider;
  /**
   * Answers a JSON-RPC text (one request or a batch) in process, by the rules of an HTTP POST to `url`
   * (the same status, body, batch limits and, from `headers`, the same JWT), for a client in the same
   * process that need not pay for a socket on every request.
   */
  answer(text: string, headers?: Readonly<Record<string, string>>): Promise<{ status: number; body: unknown }>;
  /** Where multi-tenancy plugs in: how a request becomes a caller, and an access check per privacy call. */
  hooks: NodeHooks;
  privacy: NodePrivacyView;
  /** How many WebSocket subscriptions the node holds, over all its connections. */
  subscriptionCount(): number;
}

export interface PrivacyNetwork {
  nodes: RunningNode[];
  stop(): Promise<void>;
  /** evm_snapshot of the whole network (public chain and every node's private state): the snapshot's id. */
  snapshot(): Promise<string>;
  /** evm_revert: true after reverting to the snapshot (dropping it and every later one), false for an unknown id. */
  revert(id: string): Promise<boolean>;
}

export interface StartOptions {
  /** Called once per private transaction per node that processed it (the CLI prints these). */
  onPrivateTransaction?: (entry: PrivateTransactionEntry) => void;
  /** Where the nodes' warnings go, such as a token whose exp is in milliseconds (default: stderr). */
  onWarning?: (line: string) => void;
  /** Loads this state file at start if it exists, and writes it on stop (`fpg-node --state`). */
  stateFile?: string;
  /** Loads this state file at start; it must exist (`--load-state`). */
  loadState?: string;
  /** Writes the state to this file on stop (`--dump-state`). */
  dumpState?: string;
}

/** Starts the network: one public chain, then one enclave, private state and HTTP server per node. */
export async function startPrivacyNetwork(config: NetworkConfig = defaultNetworkConfig(), options: StartOptions = {}): Promise<PrivacyNetwork> {
  if (config.customGroupGenesis !== true) {
    checkGroupGenesis(config.groupGenesis, "to run other contracts on purpose, set customGroupGenesis: true");
  }
  const loadFrom = options.loadState ?? options.stateFile;
  const saved = loadFrom === undefined ? undefined : readStateFile(loadFrom, config.chainId, options.loadState === undefined);
  const dumpTo = options.dumpState ?? options.stateFile;
  const chain = await PublicChain.start(config, saved?.genesisTimestamp);
  const common = privateCommon(config.chainId);
  // A loaded state's transactions were reported when they first ran: replaying them is silent.
  let replaying = false;
  const report = (entry: PrivateTransactionEntry): void => {
    if (!replaying) options.onPrivateTransaction?.(entry);
  };
  const memo = new ExecutionMemo();
  const limits = { gasCap: BigInt(config.privateGasCap), timeoutMs: config.privateTimeoutMs };
  const states = newPrivateStateContext(common, chain.blockHash, undefined, limits);
  const privacyNodes = config.nodes.map(
    (node) => new PrivacyNode(node.name, node.enclaveKeys, chain, states, config.groupGenesis, report, memo),
  );
  const core: NetworkCore = {
    chain,
    queue: new SerialQueue(),
    enclaves: new EnclaveNetwork(privacyNodes.map((node) => node.enclave)),
    chainId: config.chainId,
    filterLimits: config,
    memo,
    sync: () =>
      chain.follow(async (block) => {
        for (const node of privacyNodes) await node.processBlock(block);
        memo.clear();
        for (const afterBlock of afterBlockHooks) afterBlock(block.number);
        for (const hub of hubs) await hub.onBlock(block);
      }),
  };
  const endpoints = privacyNodes.map((node, i) => new NodeEndpoint(new PrivacyApi(node, core), core, config.nodes[i].enclaveKeys));
  const snapshots = new NetworkSnapshots(core, endpoints.map((endpoint) => endpoint.api), states);
  core.snapshots = snapshots;
  // One view per node: the tenancy rules, the subscriptions and RunningNode.privacy share its history cache.
  const views = endpoints.map((endpoint) => privacyView(endpoint, chain));
  const afterBlockHooks = config.nodes.flatMap((nodeConfig, i) =>
    nodeConfig.multiTenancy ? [enableMultiTenancy(endpoints[i], views[i], { ...nodeConfig, jwt: nodeConfig.jwt! }, config.accessRules, options.onWarning)] : [],
  );
  const hubs = privacyNodes.map(
    (node, i) => new SubscriptionHub(node, chain, views[i].membershipHistory, config),
  );
  if (saved !== undefined) {
    replaying = true;
    await replayState(loadFrom!, saved, chain.provider, core.enclaves, chain.minesOnSend);
    await core.sync();
    replaying = false;
  }
  const servers: http.Server[] = [];
  const ports: { rpc: number; ws: number }[] = [];
  const socketClosers: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  const stop = async (): Promise<void> => {
    if (timer !== undefined) clearInterval(timer);
    for (const closeSockets of socketClosers) closeSockets();
    await Promise.all(servers.map((server) => closeServer(server)));
    await core.queue.run(async () => {
      if (started && dumpTo !== undefined) writeStateFile(dumpTo, await captureState(chain, privacyNodes.map((node) => node.enclave), config.chainId));
    });
  };
  try {
    for (const [i, nodeConfig] of config.nodes.entries()) {
      const endpoint = endpoints[i];
      const dispatch = (context: RpcContext) => endpoint.dispatch(context);
      const server = createRpcServer(dispatch, { maxExpensivePerBatch: config.maxExpensivePerBatch });
      const wsOptions = { maxExpensivePerBatch: config.maxExpensivePerBatch, maxWsBufferedBytes: config.maxWsBufferedBytes, hub: hubs[i] };
      socketClosers.push(attachWebSocket(server, dispatch, wsOptions));
      await listen(server, config.host, nodeConfig.rpcPort, nodeConfig.name);
      servers.push(server);
      const rpc = (server.address() as AddressInfo).port;
      ports.push({ rpc, ws: rpc });
      if (nodeConfig.wsPort === undefined) continue;
      const ws = createWsServer(dispatch, wsOptions);
      socketClosers.push(ws.closeSockets);
      await listen(ws.server, config.host, nodeConfig.wsPort, `${nodeConfig.name} (wsPort)`);
      servers.push(ws.server);
      ports[i].ws = (ws.server.address() as AddressInfo).port;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  if (config.blockTime > 0) {
    timer = setInterval(() => {
      void core.queue
        .run(async () => {
          await chain.provider.request({ method: "evm_mine" });
          await core.sync();
        })
        .catch((error: unknown) => console.error("privacy network: mining failed:", error));
    }, config.blockTime * 1000);
  }
  started = true;
  const nodes = config.nodes.map((nodeConfig, i): RunningNode => {
    const endpoint = endpoints[i];
    const { rpc, ws } = ports[i];
    return {
      name: nodeConfig.name,
      url: `http://${urlHost(config.host)}:${rpc}`,
      wsUrl: `ws://${urlHost(config.host)}:${ws}`,
      enclaveKeys: [...nodeConfig.enclaveKeys],
      provider: { request: ({ method, params }) => endpoint.dispatch({ method, params: toParams(params), headers: {} }) },
      answer: (text, headers = {}) =>
        answerText((context) => endpoint.dispatch(context), { maxExpensivePerBatch: config.maxExpensivePerBatch }, text, { headers }),
      hooks: endpoint.hooks,
      privacy: views[i],
      subscriptionCount: () => hubs[i].subscriptions.size,
    };
  });
  return { nodes, stop, snapshot: () => snapshots.take(), revert: (id) => snapshots.revert(id) };
}

function privacyView(endpoint: NodeEndpoint, chain: PublicChain): NodePrivacyView {
  const { api } = endpoint;
  // Each tenant request reads a history: it is built again only when the group has new transactions here.
  // A snapshot's revert replaces the group objects, so the group itself is part of the key.
  const histories = new Map<string, { group: PrivateGroup; transactions: number; history: MembershipChange[] }>();
  return {
    membershipHistory: (groupId) => {
      const group = api.node.groups.get(groupId);
      const transactions = group?.entries.length ?? 0;
      const known = histories.get(groupId);
      if (known !== undefined && known.group === group && known.transactions === transactions) return known.history;
      // Only the group's own contracts speak for its membership: a private contract could emit look-alike events.
      const logs = groupLogs(api.node, groupId, [0, Number.MAX_SAFE_INTEGER], { addresses: [...GROUP_ADDRESSES], topics: [] });
      const history = membershipHistoryFromLogs(logs);
      if (group !== undefined && transactions > 0) histories.set(groupId, { group, transactions, history });
      return history;
    },
    headBlockNumber: () => api.node.headBlockNumber(),
    blockNumberOfHash: (hash) => chain.blockByHash(hash)?.number,
    filters: () => [...api.filters.values()],
    dropFilter: (id) => api.filters.delete(id),
  };
}

function toParams(params: unknown): unknown[] {
  if (params === undefined || params === null) return [];
  if (!Array.isArray(params)) throw new RpcError(-32602, "Invalid params");
  return params;
}

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

function listen(server: http.Server, host: string, port: number, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(new Error(`${name}: cannot listen on ${host}:${port}: ${error.code ?? error.message}`));
    });
    server.listen(port, host, () => resolve());
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export type { MembershipChange };
