import {
  AbiCoder,
  FetchRequest,
  JsonRpcProvider,
  Log,
  type BlockTag,
  type JsonRpcApiProviderOptions,
  type JsonRpcError,
  type JsonRpcPayload,
  type JsonRpcResult,
  type Networkish,
  getAddress,
  makeError,
  getNumber,
  toQuantity,
} from "ethers";
import { BesuErrorCode, PrivateTransactionFailedError, besuRpcError } from "./errors";
import { PrivateTransaction } from "./transaction";
import { isPrivacyMethod } from "../core/access";
import { type PrivateOutcome, pollPrivateReceipt } from "../core/receipt";
import {
  type PrivateLogFields,
  type PrivateReceiptFields,
  type PrivateTransactionFields,
  parsePrivateLog,
  parsePrivateReceipt,
  parsePrivateTransactionResult,
} from "../core/rpc-results";
import { PrivacySocket, PrivacySocketError } from "./socket";

/** A JWT for Besu's multi-tenancy, or a function that returns a fresh one (called before every request). */
export type JwtSource = string | (() => string | Promise<string>);

export interface PrivacyProviderOptions extends JsonRpcApiProviderOptions {
  /** Sent as `Authorization: Bearer <jwt>`. */
  jwt?: JwtSource;
  /** The chain (e.g. 1337). Given, ethers does not detect it, so a refused JWT fails the request at once. */
  network?: Networkish;
  /**
   * Another provider's WebSocket to share (a group's provider shares its node's). A `ws://` or `wss://`
   * URL opens a socket of the provider's own.
   */
  socket?: PrivacySocket;
}

/** A priv_subscribe subscription: its id, and what ends it (priv_unsubscribe). */
export interface PrivateSubscription {
  readonly id: string;
  unsubscribe(): Promise<boolean>;
}

/** What happened to a private transaction (src/core/receipt.ts). */
export type { PrivateOutcome };

/** priv_getTransactionReceipt, typed. Coordinates (block, index) are the privacy marker transaction's. */
/** priv_getTransactionReceipt, typed (src/core/rpc-results.ts), its logs as ethers `Log`s. */
export interface PrivateTransactionReceipt extends Omit<PrivateReceiptFields, "logs"> {
  logs: Log[];
}

/** priv_getPrivateTransaction, typed (src/core/rpc-results.ts), with ethers' names: gasLimit, data. */
export interface PrivateTransactionResult extends Omit<PrivateTransactionFields, "gas" | "input"> {
  gasLimit: bigint;
  data: string;
}

/** One entry of privx_findFlexiblePrivacyGroup. */
export interface PrivacyGroupInfo {
  privacyGroupId: string;
  name: string;
  description: string;
  type: string;
  members: string[];
}

export interface PrivateLogFilter {
  fromBlock?: BlockTag;
  toBlock?: BlockTag;
  blockHash?: string;
  address?: string | string[];
  topics?: (string | string[] | null)[];
}

export interface PrivateCallRequest {
  to: string;
  data?: string;
  from?: string;
  gasLimit?: bigint | number;
}

export interface WaitOptions {
  /** Milliseconds before a TIMEOUT error; default 120 000. */
  timeout?: number;
  /** Milliseconds between polls; default the provider's pollingInterval. */
  pollingInterval?: number;
}

type Raw = Record<string, unknown>;

/**
 * An ethers `JsonRpcProvider` for a Besu 25.5 node with privacy: a typed method for each priv_, privx_
 * and eea_ method, Besu's errors as named errors (BesuRpcError and subclasses, with `code` and
 * `rpcCode`), and an optional JWT for multi-tenancy.
 */
export class PrivacyProvider extends JsonRpcProvider {
  /** The WebSocket requests go over, or null for HTTP. */
  readonly socket: PrivacySocket | null;
  readonly #ownsSocket: boolean;

  constructor(url: string | FetchRequest, options: PrivacyProviderOptions = {}) {
    const { jwt, network, socket, ...rest } = options;
    const token = jwt === undefined ? undefined : async () => (typeof jwt === "string" ? jwt : jwt());
    const own = socket === undefined && typeof url === "string" && /^wss?:\/\//i.test(url) ? new PrivacySocket(url, token) : undefined;
    const request = typeof url === "string" ? new FetchRequest(url) : url.clone();
    if (jwt !== undefined) {
      const previous = request.preflightFunc;
      request.preflightFunc = async (req) => {
        const ready = previous === null ? req : await previous(req);
        const token = typeof jwt === "string" ? jwt : await jwt();
        ready.setHeader("Authorization", `Bearer ${token}`);
        return ready;
      };
    }
    // A known network skips ethers' detection, which would otherwise retry forever on a refused token.
    // Over a socket, requests go one by one: answers come back as they are ready, not as a batch.
    const batching = socket === undefined && own === undefined ? {} : { batchMaxCount: 1 };
    super(request, network, { pollingInterval: 1000, staticNetwork: network !== undefined, ...rest, ...batching });
    this.socket = socket ?? own ?? null;
    this.#ownsSocket = own !== undefined;
  }

  /** Closes the provider's own WebSocket, if it has one. */
  override destroy(): void {
    if (this.#ownsSocket) void this.socket!.close();
    super.destroy();
  }

  /**
   * priv_subscribe over the provider's WebSocket: `onLog` gets each new log of the group that matches
   * `filter` as the node notifies it, `onEnd` the end of the socket. Resolves once the node subscribed.
   */
  async subscribePrivateLogs(
    privacyGroupId: string,
    filter: PrivateLogFilter,
    handlers: { onLog(log: Log): void; onEnd?(error: PrivacySocketError): void },
  ): Promise<PrivateSubscription> {
    const { socket } = this;
    if (socket === null) {
      throw new PrivacySocketError("WEBSOCKET_UNAVAILABLE", "priv_subscribe needs a WebSocket: give the provider a ws:// or wss:// URL");
    }
    const payload: JsonRpcPayload = { method: "priv_subscribe", params: [privacyGroupId, "logs", filterParam(filter)], id: this.#nextId++, jsonrpc: "2.0" };
    const subscriber = {
      onNotification: (params: Record<string, unknown>) => {
        let log: Log;
        try {
          log = toLog(params.result as Raw, this);
        } catch {
          return; // a notification that is not a log: nothing to hand on
        }
        handlers.onLog(log);
      },
      onEnd: (error: PrivacySocketError) => handlers.onEnd?.(error),
    };
    const [answer] = await socket.request(payload, ([result]) => {
      if ("result" in result) socket.listen(String(result.result), subscriber);
    });
    if ("error" in answer) throw this.getRpcError(payload, answer as unknown as JsonRpcError);
    const id = String(answer.result);
    return {
      id,
      unsubscribe: async () => {
        socket.forget(id);
        return Boolean(await this.send("priv_unsubscribe", [privacyGroupId, id]));
      },
    };
  }

  #nextId = 1;

  /**
   * With batching off (`batchMaxCount: 1`) a request leaves at once: ethers would still wait for its batch
   * timer, at least 1 ms in Node, before each request, which is a fifth of a private transaction's round
   * trip on a local network. Answers and errors are read as ethers reads them.
   */
  // ethers types the result as any.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override async send(method: string, params: unknown[] | Record<string, unknown>): Promise<any> {
    if (this._getOption("batchMaxCount") !== 1 || this.destroyed) return super.send(method, params);
    const payload: JsonRpcPayload = { method, params, id: this.#nextId++, jsonrpc: "2.0" };
    this.emit("debug", { action: "sendRpcPayload", payload });
    const results = await this._send(payload);
    const response = results.find((result) => result.id === payload.id);
    if (response === undefined) throw makeError("missing response for request", "BAD_DATA", { value: results, info: { payload } });
    if ("error" in response) throw this.getRpcError(payload, response as unknown as JsonRpcError);
    return response.result;
  }

  /** Besu answers 401 (Unauthorized) and 400 (Invalid Request) with a JSON-RPC error body; map it like any other. */
  // ethers declares JsonRpcResult[], but its caller reads errors from the same array (as JsonRpcProvider's own _send returns them).
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    if (this.socket !== null) return this.socket.request(payload);
    const request = this._getConnection();
    request.body = JSON.stringify(payload);
    request.setHeader("content-type", "application/json");
    const response = await request.send();
    if (!response.ok()) {
      const body = parseJson(response);
      const error = body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Raw).error : undefined;
      if (error !== undefined) {
        const payloads = Array.isArray(payload) ? payload : [payload];
        return payloads.map(({ id }) => ({ id, error }) as unknown as JsonRpcResult);
      }
    }
    response.assertOk();
    const result = response.bodyJson as JsonRpcResult | JsonRpcResult[];
    return Array.isArray(result) ? result : [result];
  }

  override getRpcError(payload: JsonRpcPayload, error: JsonRpcError): Error {
    const { method } = payload;
    const body = error.error;
    if (method === "priv_call" && body.code === -32000 && typeof body.data === "string") {
      // A CALL_EXCEPTION carrying the revert data lets ethers' Contract decode the contract's custom error.
      const [, call] = payload.params as [string, { to?: string; data?: string }];
      const exception = AbiCoder.getBuiltinCallException(
        "call",
        { to: call?.to ?? null, data: call?.data ?? "0x" },
        body.data,
      );
      (exception as { info?: unknown }).info = { payload, error };
      return exception;
    }
    if (isPrivacyMethod(method) || body.code === -40100 || body.code === -32600) return besuRpcError(method, body);
    return super.getRpcError(payload, error);
  }

  /** eea_sendRawTransaction: distributes the signed private transaction and returns its privacy marker transaction's hash. */
  async sendPrivateTransaction(signed: string | PrivateTransaction): Promise<string> {
    return String(await this.send("eea_sendRawTransaction", [serializedOf(signed)]));
  }

  /** priv_distributeRawTransaction: distributes only, returning the enclave key to send in your own marker transaction. */
  async distributePrivateTransaction(signed: string | PrivateTransaction): Promise<string> {
    return String(await this.send("priv_distributeRawTransaction", [serializedOf(signed)]));
  }

  /** priv_getTransactionCount: the sender's nonce in the group at chain head (pending transactions not counted). */
  async getPrivateTransactionCount(address: string, privacyGroupId: string): Promise<number> {
    return getNumber(await this.send("priv_getTransactionCount", [getAddress(address), privacyGroupId]));
  }

  /** priv_getEeaTransactionCount: the nonce for a legacy EEA (privateFor) group. */
  async getEeaTransactionCount(address: string, privateFrom: string, privateFor: readonly string[]): Promise<number> {
    return getNumber(
      await this.send("priv_getEeaTransactionCount", [getAddress(address), privateFrom, [...privateFor]]),
    );
  }

  /** priv_call: runs a call in the group's private state; a revert throws ethers' CALL_EXCEPTION with the data. */
  async privCall(privacyGroupId: string, call: PrivateCallRequest, blockTag: BlockTag = "latest"): Promise<string> {
    const request: Raw = { to: getAddress(call.to), data: call.data ?? "0x" };
    if (call.from !== undefined) request.from = getAddress(call.from);
    if (call.gasLimit !== undefined) request.gas = toQuantity(call.gasLimit);
    const result = await this.send("priv_call", [privacyGroupId, request, blockParam(blockTag)]);
    return result === null ? "0x" : String(result);
  }

  /** priv_getCode: null when the account does not exist in the group. */
  async privGetCode(privacyGroupId: string, address: string, blockTag: BlockTag = "latest"): Promise<string | null> {
    const code = await this.send("priv_getCode", [privacyGroupId, getAddress(address), blockParam(blockTag)]);
    return code === null ? null : String(code);
  }

  /** priv_getLogs, as ethers `Log`s. Only successful private transactions have logs. */
  async privGetLogs(privacyGroupId: string, filter: PrivateLogFilter = {}): Promise<Log[]> {
    return this.#logs(await this.send("priv_getLogs", [privacyGroupId, filterParam(filter)]));
  }

  async privNewFilter(privacyGroupId: string, filter: PrivateLogFilter = {}): Promise<string> {
    return String(await this.send("priv_newFilter", [privacyGroupId, filterParam(filter)]));
  }

  async privGetFilterChanges(privacyGroupId: string, filterId: string): Promise<Log[]> {
    return this.#logs(await this.send("priv_getFilterChanges", [privacyGroupId, filterId]));
  }

  async privGetFilterLogs(privacyGroupId: string, filterId: string): Promise<Log[]> {
    return this.#logs(await this.send("priv_getFilterLogs", [privacyGroupId, filterId]));
  }

  async privUninstallFilter(privacyGroupId: string, filterId: string): Promise<boolean> {
    return (await this.send("priv_uninstallFilter", [privacyGroupId, filterId])) === true;
  }

  /** priv_getPrivateTransaction by marker hash; null if this node's enclave cannot read it. */
  async getPrivateTransaction(markerHash: string): Promise<PrivateTransactionResult | null> {
    const raw = (await this.send("priv_getPrivateTransaction", [markerHash])) as Raw | null;
    if (raw === null) return null;
    const { gas, input, ...fields } = parsePrivateTransactionResult(raw);
    return { ...fields, gasLimit: gas, data: input };
  }

  /** priv_getTransactionReceipt by marker hash; null until the marker is mined, or if this node cannot read it. */
  async getPrivateTransactionReceipt(markerHash: string): Promise<PrivateTransactionReceipt | null> {
    const raw = (await this.send("priv_getTransactionReceipt", [markerHash])) as Raw | null;
    return raw === null ? null : this.#receipt(raw, markerHash);
  }

  /**
   * Waits for the marker transaction to be mined, then returns the private receipt, whatever its status.
   * Throws TIMEOUT, or PRIVATE_RECEIPT_UNAVAILABLE when the marker is mined but this node has no private receipt.
   */
  async waitForPrivateTransactionReceipt(
    markerHash: string,
    options: WaitOptions = {},
  ): Promise<PrivateTransactionReceipt> {
    const timeout = options.timeout ?? 120_000;
    return pollPrivateReceipt(
      {
        privateReceipt: () => this.getPrivateTransactionReceipt(markerHash),
        markerMined: async () => (await this.send("eth_getTransactionReceipt", [markerHash])) !== null,
      },
      { timeout, pollingInterval: options.pollingInterval ?? this.pollingInterval },
      (failure) =>
        failure === "unavailable"
          ? new PrivateTransactionFailedError(
              BesuErrorCode.ReceiptUnavailable,
              `the marker transaction ${markerHash} is mined but this node has no private receipt for it (not a participant?)`,
              markerHash,
            )
          : new PrivateTransactionFailedError(
              BesuErrorCode.Timeout,
              `the marker transaction ${markerHash} was not mined within ${timeout} ms`,
              markerHash,
            ),
    );
  }

  /** priv_getPrivacyPrecompileAddress: 0x…7d when flexible groups are on. */
  async getPrivacyPrecompileAddress(): Promise<string> {
    return getAddress(String(await this.send("priv_getPrivacyPrecompileAddress", [])));
  }

  /** priv_debugGetStateRoot: the group's private state root as of the block. */
  async debugGetStateRoot(privacyGroupId: string, blockTag: BlockTag = "latest"): Promise<string> {
    return String(await this.send("priv_debugGetStateRoot", [privacyGroupId, blockParam(blockTag)]));
  }

  /** priv_traceTransaction: Parity-style flat trace of a private transaction. */
  async privTraceTransaction(privacyGroupId: string, markerHash: string): Promise<unknown[]> {
    const trace = await this.send("priv_traceTransaction", [privacyGroupId, markerHash]);
    return Array.isArray(trace) ? trace : [];
  }

  /** privx_findFlexiblePrivacyGroup: the groups this node knows whose members include all these keys. */
  async findFlexiblePrivacyGroups(keys: readonly string[]): Promise<PrivacyGroupInfo[]> {
    const groups = (await this.send("privx_findFlexiblePrivacyGroup", [[...keys]])) as Raw[] | null;
    return (groups ?? []).map((group) => ({
      privacyGroupId: String(group.privacyGroupId),
      name: String(group.name ?? ""),
      description: String(group.description ?? ""),
      type: String(group.type ?? "FLEXIBLE"),
      members: Array.isArray(group.members) ? group.members.map(String) : [],
    }));
  }

  #logs(raw: unknown): Log[] {
    return Array.isArray(raw) ? raw.map((log: Raw) => toLog(log, this)) : [];
  }

  #receipt(raw: Raw, markerHash: string): PrivateTransactionReceipt {
    const { logs, ...fields } = parsePrivateReceipt(raw, markerHash);
    return { ...fields, logs: logs.map((log) => ethersLog(log, this)) };
  }
}

/** A raw JSON-RPC private log as an ethers `Log` (private logs use the marker transaction's hash and coordinates). */
export function toLog(raw: Raw, provider: JsonRpcProvider): Log {
  return ethersLog(parsePrivateLog(raw), provider);
}

function ethersLog({ logIndex, ...log }: PrivateLogFields, provider: JsonRpcProvider): Log {
  return new Log({ ...log, index: logIndex }, provider);
}

function serializedOf(signed: string | PrivateTransaction): string {
  return typeof signed === "string" ? PrivateTransaction.from(signed).serialized : signed.serialized;
}

function blockParam(blockTag: BlockTag): string {
  return typeof blockTag === "string" && !/^-?\d+$/.test(blockTag) ? blockTag : toQuantity(blockTag);
}

function filterParam(filter: PrivateLogFilter): Raw {
  const param: Raw = {};
  if (filter.blockHash !== undefined) param.blockHash = filter.blockHash;
  if (filter.fromBlock !== undefined) param.fromBlock = blockParam(filter.fromBlock);
  if (filter.toBlock !== undefined) param.toBlock = blockParam(filter.toBlock);
  if (filter.address !== undefined)
    param.address = Array.isArray(filter.address)
      ? filter.address.map((a) => a.toLowerCase())
      : filter.address.toLowerCase();
  if (filter.topics !== undefined) param.topics = filter.topics;
  return param;
}

function parseJson(response: { bodyText: string }): unknown {
  try {
    return JSON.parse(response.bodyText);
  } catch {
    return null;
  }
}
