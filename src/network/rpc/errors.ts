import { PrivacySdkError, SdkErrorCode } from "../../core/errors";

/**
 * JSON-RPC errors with the codes and messages of Besu 25.5 (its RpcErrorType), so clients written
 * against Besu see the same errors here.
 */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: string,
    /** The HTTP status Besu answers with: 200 for method errors, 400 for -32600/-32700, 401 for -40100. */
    readonly httpStatus = 200,
  ) {
    super(message);
    this.name = "RpcError";
  }

  /** Besu answers a request that carries no credentials at all with `id: null` (multi-tenancy). */
  hidesRequestId = false;

  toJSON(): { code: number; message: string; data?: string } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

const error = (code: number, message: string, httpStatus = 200) => (): RpcError =>
  new RpcError(code, message, undefined, httpStatus);

/** Each factory builds a fresh error, so a thrown error never carries a stale stack. */
export const Errors = {
  parse: error(-32700, "Parse error", 400),
  invalidRequest: error(-32600, "Invalid Request", 400),
  methodNotFound: error(-32601, "Method not found"),
  methodNotEnabled: error(-32604, "Method not enabled"),
  internal: error(-32603, "Internal error"),
  batchTooLarge: error(-32005, "Number of requests exceeds max batch size"),
  invalidParams: error(-32602, "Invalid params"),
  invalidParamCount: error(-32602, "Invalid number of params"),
  invalidTransactionParams: error(-32602, "Invalid transaction params (missing or incorrect)"),
  invalidPrivacyGroupParams: error(-32602, "Invalid privacy group params"),
  invalidAddressParams: error(-32602, "Invalid address params"),
  invalidCallParams: error(-32602, "Invalid call params"),
  invalidBlockParams: error(-32602, "Invalid block number params"),
  invalidFilterParams: error(-32602, "Invalid filter params"),
  invalidPrivateFromParams: error(-32602, "Invalid private from params"),
  invalidPrivateForParams: error(-32602, "Invalid private for params"),
  invalidHashParams: error(-32602, "Invalid transaction hash params"),
  invalidIdParams: error(-32602, "Invalid ID params"),
  filterNotFound: error(-32000, "Filter not found"),
  tooManyFilters: (max: number) =>
    new RpcError(-32005, `Too many filters: at most ${max} per tenant; uninstall one with priv_uninstallFilter (maxFiltersPerTenant)`),
  filterTooLarge: (what: "addresses" | "topics", count: number, max: number) =>
    new RpcError(-32005, `Filter names ${count} ${what}, at most ${max}: split it into several filters (maxFilter${what === "addresses" ? "Addresses" : "Topics"})`),
  logsFilterNotFound: error(-32000, "Logs filter not found"),
  subscriptionNotFound: error(-32000, "Subscription not found"),
  tooManySubscriptions: (max: number) =>
    new RpcError(-32005, `Too many subscriptions: at most ${max} per connection; end one with eth_unsubscribe or priv_unsubscribe (maxSubscriptionsPerConnection)`),
  wrongChainId: error(-32000, "Wrong chainId"),
  nonceTooLow: error(-32001, "Nonce too low"),
  invalidSignature: error(-32002, "Invalid signature"),
  upfrontCost: error(-32004, "Upfront cost exceeds account balance"),
  exceedsBlockGasLimit: error(-32005, "Transaction gas limit exceeds block gas limit"),
  knownTransaction: error(-32000, "Known transaction"),
  unauthorized: error(-40100, "Unauthorized", 401),
  enclave: error(-50100, "Error communicating with enclave"),
  unsupportedPrivateTxType: error(-50100, "Unsupported private transaction type"),
  decode: error(-50100, "Unable to decode the private signed raw transaction"),
  findPrivacyGroup: error(-50100, "Error finding privacy group"),
  findFlexiblePrivacyGroup: error(-50100, "Error finding flexible privacy group"),
  nonceUnknown: error(-50100, "Unable to determine nonce for account in group."),
  groupDoesNotExist: error(-50100, "Flexible Privacy group does not exist."),
  groupIdRequired: error(-50100, "Private transactions to flexible privacy groups must use privacyGroupId"),
  markerGasTooLow: error(
    -50100,
    "Privacy Marker Transaction failed due to intrinsic gas exceeding the limit. Gas limit used from the Private Transaction.",
  ),
  privateFromMismatch: error(-50100, "Private from does not match enclave public key"),
  privateTransactionFailed: error(-50100, "Private transaction failed"),
  recipientNotFound: error(-50200, "Recipient not found for key:"),
} as const;

/**
 * A private execution that ran out of its wall-clock budget: Besu's timeout error (-32603 "Timeout
 * expired"), with `data` saying what ran out and which option raises the budget.
 */
export function privateTimeout(method: string, timeoutMs: number): RpcError {
  return new RpcError(-32603, "Timeout expired", `${method} ran past the private execution budget of ${timeoutMs} ms (an endless loop?); ${RAISE_TIMEOUT}`);
}

/** How to give private executions more time: said by the error and by the node's log line. */
export const RAISE_TIMEOUT = "raise privateTimeoutMs in the network config or --private-timeout-ms";

/** A batch item past the limit of expensive methods per batch (Besu's code for its other per-request limits). */
export function tooManyExpensiveInBatch(limit: number): RpcError {
  return new RpcError(
    -32005,
    "Number of expensive requests exceeds max per batch",
    `a batch may hold ${limit} expensive requests (priv_call, eth_call, eth_estimateGas, sends, traces); ` +
      "send the rest in another batch, or raise maxExpensivePerBatch in the network config or --max-expensive-per-batch",
  );
}

/** priv_call's revert: Besu decodes an Error(string) reason into the message and returns the raw data. */
export function executionReverted(revertData: string, reason: string | undefined): RpcError {
  return new RpcError(-32000, reason === undefined ? "Execution reverted" : `Execution reverted (${reason})`, revertData);
}

/**
 * The codec's refusal of a private transaction as Besu answers it: an unsupported v is thrown outside
 * Besu's decode path (ENCLAVE_ERROR), a signature without a signer is INVALID_TRANSACTION_SIGNATURE, every
 * other fault DECODE_ERROR. Anything else (a bug) passes through unchanged.
 */
export function privateTransactionRpcError(error: unknown): unknown {
  if (!(error instanceof PrivacySdkError)) return error;
  if (error.code === SdkErrorCode.UnsupportedV) return Errors.enclave();
  if (error.code === SdkErrorCode.InvalidSignature) return Errors.invalidSignature();
  return Errors.decode();
}
