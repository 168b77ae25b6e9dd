import { type MembershipChange, membersAt } from "../../core/history";
import type { ChainBlock, PublicChain } from "../chain/public-chain";
import { quantity } from "../chain/private-transaction";
import { type LogFilter, groupLogs, parseLogFilter } from "../state/logs";
import type { PrivacyNode } from "../state/node";
import { Errors } from "./errors";
import { groupIdParam } from "./params";
import { type Caller, type FilterLimits, checkFilterSize } from "./privacy-api";
import type { NetworkConfig } from "../types";

/** What bounds subscriptions: the count per connection, and each filter as priv_newFilter's is. */
export type SubscriptionLimits = Pick<NetworkConfig, "maxSubscriptionsPerConnection"> & Pick<FilterLimits, "maxFilterAddresses" | "maxFilterTopics">;

/** The methods Besu serves only over WebSocket: over HTTP they stay unknown (or not enabled). */
export const SUBSCRIPTION_METHODS: ReadonlySet<string> = new Set(["eth_subscribe", "eth_unsubscribe", "priv_subscribe", "priv_unsubscribe"]);

type Matcher = Omit<LogFilter, "fromBlock" | "toBlock">;

interface Subscription {
  id: string;
  connection: SubscriptionConnection;
  kind: "newHeads" | "logs" | "privateLogs";
  filter?: Matcher;
  groupId?: string;
  /** A multi-tenancy tenant's key: its private subscription ends when the key leaves the group. */
  tenantKey?: string;
}

/** Where a connection's notifications go (the socket, which enforces its own backlog cap). */
export type NotificationSink = (text: string) => void;

/**
 * A node's subscriptions over all its WebSocket connections. Ids count up per node as Besu's do ("0x1", …);
 * after each block the node processed, every subscription gets what that block holds for it.
 */
export class SubscriptionHub {
  private lastId = 0;
  readonly subscriptions = new Map<string, Subscription>();

  constructor(
    private readonly node: PrivacyNode,
    private readonly chain: PublicChain,
    private readonly membershipHistory: (groupId: string) => MembershipChange[],
    readonly limits: SubscriptionLimits,
  ) {}

  connect(sink: NotificationSink): SubscriptionConnection {
    return new SubscriptionConnection(this, sink);
  }

  add(subscription: Omit<Subscription, "id">): string {
    const id = quantity(++this.lastId);
    this.subscriptions.set(id, { ...subscription, id });
    return id;
  }

  /** Runs in the network's queue after every node processed the block. */
  async onBlock(block: ChainBlock): Promise<void> {
    const subscriptions = [...this.subscriptions.values()];
    const heads = subscriptions.filter((subscription) => subscription.kind === "newHeads");
    if (heads.length > 0) {
      const header = await this.chain.provider.request({ method: "eth_getBlockByHash", params: [block.hash, false] });
      for (const subscription of heads) this.notify(subscription, header);
    }
    for (const subscription of subscriptions) {
      if (subscription.kind === "logs") {
        const { addresses, topics } = subscription.filter!;
        const query = { blockHash: block.hash, address: addresses, topics: topics.map((position) => position ?? null) };
        const logs = (await this.chain.provider.request({ method: "eth_getLogs", params: [query] })) as unknown[];
        for (const log of logs) this.notify(subscription, log);
      } else if (subscription.kind === "privateLogs") {
        this.notifyPrivateLogs(subscription, block.number);
      }
    }
  }

  private notifyPrivateLogs(subscription: Subscription, blockNumber: number): void {
    const groupId = subscription.groupId!;
    // A tenant removed by this block (or earlier) gets nothing more: its subscription ends, as its filters do.
    if (subscription.tenantKey !== undefined && !this.isMember(groupId, subscription.tenantKey, blockNumber)) {
      subscription.connection.unsubscribe(subscription.id);
      return;
    }
    for (const log of groupLogs(this.node, groupId, [blockNumber, blockNumber], subscription.filter!)) {
      this.notify(subscription, log, { subscription: subscription.id, privacyGroupId: groupId, result: log });
    }
  }

  /** A history that cannot be read (a custom contract's odd logs) ends the subscription, and never stops block processing. */
  private isMember(groupId: string, tenantKey: string, blockNumber: number): boolean {
    try {
      return membersAt(this.membershipHistory(groupId), blockNumber).has(tenantKey);
    } catch {
      return false;
    }
  }

  private notify(subscription: Subscription, result: unknown, params?: object): void {
    // The connection may have closed (or been closed for its backlog) while this block was being sent.
    if (!this.subscriptions.has(subscription.id)) return;
    const method = subscription.kind === "privateLogs" ? "priv_subscription" : "eth_subscription";
    subscription.connection.send(JSON.stringify({ jsonrpc: "2.0", method, params: params ?? { subscription: subscription.id, result } }));
  }
}

/** One WebSocket connection's subscriptions: the four methods, and everything freed when it closes. */
export class SubscriptionConnection {
  private readonly ids = new Set<string>();

  constructor(
    private readonly hub: SubscriptionHub,
    readonly send: NotificationSink,
  ) {}

  /** Params have passed the node's access checks (multi-tenancy) already. */
  handle(method: string, params: unknown[], caller: Caller): string | boolean {
    switch (method) {
      case "eth_subscribe":
        if (params[0] === "newHeads") return this.add({ kind: "newHeads" });
        if (params[0] === "logs") return this.add({ kind: "logs", filter: request(() => parseLogFilter(params[1])) });
        throw Errors.invalidRequest();
      case "priv_subscribe": {
        if (params[1] !== "logs") throw Errors.invalidRequest();
        const [groupId, filter] = request(() => [groupIdParam(params[0]), parseLogFilter(params[2])] as const);
        return this.add({ kind: "privateLogs", groupId, filter, tenantKey: caller.tenant ? caller.keys[0] : undefined });
      }
      case "eth_unsubscribe":
        return this.unsubscribeOwn(params[0], undefined);
      default:
        return this.unsubscribeOwn(params[1], request(() => groupIdParam(params[0])));
    }
  }

  private add(subscription: Omit<Subscription, "id" | "connection">): string {
    const { limits } = this.hub;
    if (this.ids.size >= limits.maxSubscriptionsPerConnection) throw Errors.tooManySubscriptions(limits.maxSubscriptionsPerConnection);
    if (subscription.filter !== undefined) checkFilterSize(subscription.filter, limits);
    const id = this.hub.add({ ...subscription, connection: this });
    this.ids.add(id);
    return id;
  }

  /** Besu answers an id this connection does not hold (or of another group) with "Subscription not found". */
  private unsubscribeOwn(id: unknown, groupId: string | undefined): boolean {
    if (typeof id !== "string") throw Errors.invalidRequest();
    const subscription = this.hub.subscriptions.get(id.toLowerCase());
    if (subscription === undefined || subscription.connection !== this || subscription.groupId !== groupId) throw Errors.subscriptionNotFound();
    return this.unsubscribe(subscription.id);
  }

  unsubscribe(id: string): boolean {
    this.ids.delete(id);
    return this.hub.subscriptions.delete(id);
  }

  /** Frees every subscription of the connection (it closed). */
  close(): void {
    for (const id of this.ids) this.hub.subscriptions.delete(id);
    this.ids.clear();
  }
}

/** Besu's request mapper refuses any unreadable subscription parameter with -32600 Invalid Request. */
function request<T>(read: () => T): T {
  try {
    return read();
  } catch {
    throw Errors.invalidRequest();
  }
}
