import type { IncomingHttpHeaders } from "node:http";
import { type Caller, type DecodedSend, DISABLED_PRIVACY_METHODS, type NetworkCore, PrivacyApi, decodeSend } from "./privacy-api";
import { Errors, RpcError } from "./errors";
import { quantity } from "../chain/private-transaction";
import { isPrivacyMethod } from "../../core/access";
import { SUBSCRIPTION_METHODS, type SubscriptionConnection } from "./subscriptions";

/** One JSON-RPC request as a node sees it: where it becomes (method, params, caller, headers). */
export interface RpcContext {
  method: string;
  params: unknown[];
  /** HTTP headers (empty for in-process providers). */
  headers: IncomingHttpHeaders;
  /** A send's private transaction, decoded once as the request enters (set by the node for the send methods). */
  send?: DecodedSend;
  /** The WebSocket connection the request came on (absent over HTTP, where subscriptions do not exist). */
  subscriptions?: SubscriptionConnection;
}

export interface NodeHooks {
  /**
   * The caller a request acts for. Default: the node's own enclave keys. Multi-tenancy replaces this with
   * the token's key; throw an RpcError (e.g. -40100 with httpStatus 401) to refuse the request.
   */
  resolveCaller(context: RpcContext): Caller | Promise<Caller>;
  /**
   * Runs before each privacy method, inside the network's serial queue (state is up to date). Throw an
   * RpcError to refuse; return params to run the method with instead (e.g. a clamped toBlock).
   */
  checkAccess?(context: RpcContext, caller: Caller): unknown[] | void | Promise<unknown[] | void>;
}

const ENGINE_PREFIXES = /^(eth|net|web3)_/;
/** Engine methods that may mine a block: the privacy layer processes it before answering. */
const MINING_METHODS = new Set(["eth_sendRawTransaction", "eth_sendTransaction"]);

/** Routes a node's requests: privacy methods to its PrivacyApi, eth_/net_/web3_ to the shared engine. */
export class NodeEndpoint {
  hooks: NodeHooks;

  constructor(
    readonly api: PrivacyApi,
    private readonly core: NetworkCore,
    enclaveKeys: readonly string[],
  ) {
    this.hooks = { resolveCaller: () => ({ keys: [...enclaveKeys], tenant: false }) };
  }

  async dispatch(context: RpcContext): Promise<unknown> {
    const caller = await this.hooks.resolveCaller(context);
    const { method } = context;
    if (SUBSCRIPTION_METHODS.has(method)) {
      if (context.subscriptions !== undefined) return this.subscriptionCall(context, context.subscriptions, caller);
      // Besu serves subscriptions over WebSocket only; the engine would take eth_subscribe and keep it forever.
      if (!isPrivacyMethod(method)) throw Errors.methodNotFound();
    }
    if (isPrivacyMethod(method)) {
      if (this.api.handles(method)) return this.privacyCall(context, caller);
      throw DISABLED_PRIVACY_METHODS.has(method) ? Errors.methodNotEnabled() : Errors.methodNotFound();
    }
    if (ENGINE_PREFIXES.test(method)) return this.engineCall(context);
    if (method === "evm_snapshot" || method === "evm_revert") {
      // Admin methods of the whole network: Besu has none, so a tenant gets Besu's answer to an unknown method.
      if (caller.tenant || this.core.snapshots === undefined) throw Errors.methodNotFound();
      return this.core.snapshots.handle(method, context.params);
    }
    throw Errors.methodNotFound();
  }

  private privacyCall(request: RpcContext, caller: Caller): Promise<unknown> {
    const context = { ...request, send: decodeSend(request.method, request.params) };
    const checkAccess = this.hooks.checkAccess;
    if (checkAccess === undefined) return this.api.handle(context, caller);
    return this.api.handle(context, caller, async () => (await checkAccess(context, caller)) ?? context.params);
  }

  /** In the queue, so a subscription starts between blocks; priv_ ones pass the same access checks as filters. */
  private subscriptionCall(context: RpcContext, connection: SubscriptionConnection, caller: Caller): Promise<unknown> {
    return this.core.queue.run(async () => {
      const checkAccess = this.hooks.checkAccess;
      const params = isPrivacyMethod(context.method) && checkAccess !== undefined ? ((await checkAccess(context, caller)) ?? context.params) : context.params;
      return connection.handle(context.method, params, caller);
    });
  }

  private async engineCall({ method, params }: RpcContext): Promise<unknown> {
    // The head the privacy layer has processed: the engine's, but while a block is mined and not yet processed
    // (Besu's head too moves only once a block is imported). Answered here, without a round trip to the engine:
    // each private send reads it (the drop diagnosis), and it was a third of the engine's time per send.
    if (method === "eth_blockNumber" && params.length === 0) return quantity(this.core.chain.head);
    const request = async () => {
      try {
        return await this.core.chain.provider.request({ method, params });
      } catch (cause) {
        throw engineError(cause);
      }
    };
    if (!MINING_METHODS.has(method) || !this.core.chain.minesOnSend) return request();
    return this.core.queue.run(async () => {
      const result = await request();
      await this.core.sync();
      return result;
    });
  }
}

/** The engine's error as a JSON-RPC error; a method the engine lacks is "Method not found", as in Besu. */
function engineError(cause: unknown): RpcError {
  const { code, message, data } = cause as { code?: unknown; message?: unknown; data?: unknown };
  if (typeof message === "string" && /is not supported/.test(message)) return Errors.methodNotFound();
  if (typeof code !== "number" || typeof message !== "string") return Errors.internal();
  return new RpcError(code, message, typeof data === "string" ? data : undefined);
}
