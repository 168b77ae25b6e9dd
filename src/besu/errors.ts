import type { DropReason } from "../core/drop";
import { ErrorFragment, Interface } from "ethers";
import { PrivacySdkError } from "../core/errors";
// File by file, not the typechain-types barrel, so a build ships only the shipped contracts' bindings.
import { GROUP_ABI } from "../core/group-abi";

/**
 * Stable codes of the errors Besu's JSON-RPC returns for privacy methods, and of what can happen to a
 * private transaction after it was accepted. Branch on `error.code`; `rpcCode` keeps Besu's number.
 */
export const BesuErrorCode = {
  GroupNotFound: "GROUP_NOT_FOUND",
  PrivacyNotEnabled: "PRIVACY_NOT_ENABLED",
  NonceUnavailable: "NONCE_UNAVAILABLE",
  NonceTooLow: "NONCE_TOO_LOW",
  PrivateFromMismatch: "PRIVATE_FROM_MISMATCH",
  EnclaveError: "ENCLAVE_ERROR",
  EnclavePayloadNotFound: "ENCLAVE_PAYLOAD_NOT_FOUND",
  UndecodableTransaction: "UNDECODABLE_TRANSACTION",
  UnsupportedRestriction: "UNSUPPORTED_RESTRICTION",
  GroupIdRequired: "GROUP_ID_REQUIRED",
  MarkerIntrinsicGas: "MARKER_INTRINSIC_GAS",
  GroupLookupFailed: "GROUP_LOOKUP_FAILED",
  PrivateCallFailed: "PRIVATE_CALL_FAILED",
  ExecutionReverted: "EXECUTION_REVERTED",
  WrongChainId: "WRONG_CHAIN_ID",
  ChainIdNotSupported: "CHAIN_ID_NOT_SUPPORTED",
  InvalidSignature: "INVALID_SIGNATURE",
  FilterNotFound: "FILTER_NOT_FOUND",
  KnownTransaction: "KNOWN_TRANSACTION",
  GasPriceTooLow: "GAS_PRICE_TOO_LOW",
  InsufficientFunds: "INSUFFICIENT_FUNDS",
  GasLimitExceeded: "GAS_LIMIT_EXCEEDED",
  InvalidParams: "INVALID_PARAMS",
  InvalidRequest: "INVALID_REQUEST",
  MethodNotFound: "METHOD_NOT_FOUND",
  MethodNotEnabled: "METHOD_NOT_ENABLED",
  Unauthorized: "UNAUTHORIZED",
  InternalError: "INTERNAL_ERROR",
  RpcError: "RPC_ERROR",
  // After acceptance: what the private receipt says.
  Reverted: "PRIVATE_TRANSACTION_REVERTED",
  Dropped: "PRIVATE_TRANSACTION_DROPPED",
  InvalidAtExecution: "PRIVATE_TRANSACTION_INVALID",
  ReceiptUnavailable: "PRIVATE_RECEIPT_UNAVAILABLE",
  Timeout: "TIMEOUT",
  GroupOperationRefused: "GROUP_OPERATION_REFUSED",
  CancelRefused: "CANCEL_REFUSED",
  BesuOnly: "BESU_ONLY",
  NoProvider: "NO_PROVIDER",
} as const;

export type BesuErrorCode = (typeof BesuErrorCode)[keyof typeof BesuErrorCode];

/** An error response of Besu's JSON-RPC: `code` is stable, `rpcCode`/`rpcMessage` are what Besu sent. */
export class BesuRpcError extends PrivacySdkError<BesuErrorCode> {
  constructor(
    code: BesuErrorCode,
    readonly rpcCode: number,
    readonly rpcMessage: string,
    readonly method: string,
    readonly data?: unknown,
  ) {
    super(code, `${method}: ${rpcMessage} (${rpcCode})`);
  }
}

/** -50100 "Flexible Privacy group does not exist.": no such group on this node, or the sender is not a member. */
export class PrivacyGroupNotFoundError extends BesuRpcError {}
/** -32001 "Nonce too low". */
export class NonceTooLowError extends BesuRpcError {}
/** -40100 "Unauthorized" (HTTP 401): no, an expired or an insufficient JWT, or not a member (multi-tenancy). */
export class UnauthorizedError extends BesuRpcError {}
/** -50100/-50200 enclave (Tessera) errors. */
export class EnclaveError extends BesuRpcError {}

type Rule = { rpcCode: number; message?: RegExp; code: BesuErrorCode; errorClass?: typeof BesuRpcError };

// Order matters: the first rule whose number and message match names the error.
const RULES: readonly Rule[] = [
  {
    rpcCode: -50100,
    message: /^Flexible Privacy group does not exist/,
    code: BesuErrorCode.GroupNotFound,
    errorClass: PrivacyGroupNotFoundError,
  },
  { rpcCode: -50100, message: /^Privacy is not enabled/, code: BesuErrorCode.PrivacyNotEnabled },
  { rpcCode: -50100, message: /^Unable to determine nonce/, code: BesuErrorCode.NonceUnavailable },
  { rpcCode: -50100, message: /^Private from does not match/, code: BesuErrorCode.PrivateFromMismatch },
  { rpcCode: -50100, message: /^Unable to decode the private/, code: BesuErrorCode.UndecodableTransaction },
  { rpcCode: -50100, message: /^Unsupported private transaction type/, code: BesuErrorCode.UnsupportedRestriction },
  { rpcCode: -50100, message: /must use privacyGroupId/, code: BesuErrorCode.GroupIdRequired },
  {
    rpcCode: -50100,
    message: /^Privacy Marker Transaction failed due to intrinsic gas/,
    code: BesuErrorCode.MarkerIntrinsicGas,
  },
  { rpcCode: -50100, message: /^Error finding (flexible )?privacy group/, code: BesuErrorCode.GroupLookupFailed },
  { rpcCode: -50100, message: /^Private transaction failed/, code: BesuErrorCode.PrivateCallFailed },
  { rpcCode: -50100, code: BesuErrorCode.EnclaveError, errorClass: EnclaveError },
  { rpcCode: -50200, message: /PayloadNotFound/, code: BesuErrorCode.EnclavePayloadNotFound, errorClass: EnclaveError },
  { rpcCode: -50200, code: BesuErrorCode.EnclaveError, errorClass: EnclaveError },
  { rpcCode: -32001, code: BesuErrorCode.NonceTooLow, errorClass: NonceTooLowError },
  { rpcCode: -32002, code: BesuErrorCode.InvalidSignature },
  { rpcCode: -32004, code: BesuErrorCode.InsufficientFunds },
  { rpcCode: -32005, code: BesuErrorCode.GasLimitExceeded },
  { rpcCode: -32009, code: BesuErrorCode.GasPriceTooLow },
  { rpcCode: -32000, message: /^Execution reverted/, code: BesuErrorCode.ExecutionReverted },
  { rpcCode: -32000, message: /^Wrong chainId/, code: BesuErrorCode.WrongChainId },
  { rpcCode: -32000, message: /^ChainId not supported/, code: BesuErrorCode.ChainIdNotSupported },
  { rpcCode: -32000, message: /[Ff]ilter not found/, code: BesuErrorCode.FilterNotFound },
  { rpcCode: -32000, message: /^Known transaction/, code: BesuErrorCode.KnownTransaction },
  { rpcCode: -32000, message: /[Nn]once too low/, code: BesuErrorCode.NonceTooLow, errorClass: NonceTooLowError },
  { rpcCode: -32602, code: BesuErrorCode.InvalidParams },
  { rpcCode: -32600, code: BesuErrorCode.InvalidRequest },
  { rpcCode: -32601, code: BesuErrorCode.MethodNotFound },
  { rpcCode: -32604, code: BesuErrorCode.MethodNotEnabled },
  { rpcCode: -40100, code: BesuErrorCode.Unauthorized, errorClass: UnauthorizedError },
  { rpcCode: -32603, code: BesuErrorCode.InternalError },
];

/** The named error for one JSON-RPC error object `{ code, message, data? }` of `method`. */
export function besuRpcError(
  method: string,
  error: { code?: unknown; message?: unknown; data?: unknown },
): BesuRpcError {
  const rpcCode = typeof error.code === "number" ? error.code : Number.NaN;
  const message = typeof error.message === "string" ? error.message : "(no message)";
  const rule = RULES.find((candidate) => candidate.rpcCode === rpcCode && (candidate.message?.test(message) ?? true));
  const ErrorClass = rule?.errorClass ?? BesuRpcError;
  return new ErrorClass(rule?.code ?? BesuErrorCode.RpcError, rpcCode, message, method, error.data);
}

/** A private transaction Besu accepted did not succeed; `markerHash` names its privacy marker transaction. */
export class PrivateTransactionFailedError extends PrivacySdkError<BesuErrorCode> {
  constructor(
    code: BesuErrorCode,
    message: string,
    readonly markerHash: string,
    readonly receipt?: unknown,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/**
 * The group's transaction reverted: `data` is the revert data, and `errorName`/`args` the custom error
 * (or Error(string)/Panic) it decodes to, when one of the known contract interfaces declares it. On Besu
 * `markerHash` names the privacy marker transaction; on an ordinary EVM chain it is "" (no marker).
 */
export class PrivateTransactionRevertedError extends PrivateTransactionFailedError {
  constructor(
    markerHash: string,
    readonly data: string,
    readonly errorName: string | null,
    readonly args: readonly unknown[],
    receipt?: unknown,
    options?: { cause?: unknown },
  ) {
    const shown = errorName === null ? `with data ${data}` : `with ${errorName}(${args.map(String).join(", ")})`;
    super(
      BesuErrorCode.Reverted,
      markerHash === ""
        ? `the transaction reverted ${shown}`
        : `the private transaction (marker ${markerHash}) reverted ${shown}. ${STAYS_VALID}`,
      markerHash,
      receipt,
      options,
    );
  }
}

/** Every custom error the group can revert with: the management contract's and the proxy's. */
export const GROUP_ERRORS = new Interface(
  GROUP_ABI.filter((fragment) => fragment.type === "error").map((fragment) => ErrorFragment.from(fragment)),
);

/** Finds revert data in an ethers or Hardhat error, however deeply the provider nested it. */
function revertData(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === "object" && depth < 5; ++depth) {
    const { data } = e as { data?: unknown };
    if (typeof data === "string" && data.startsWith("0x") && data.length >= 10) return data;
    e = (e as { error?: unknown; info?: { error?: unknown } }).error ?? (e as { info?: { error?: unknown } }).info?.error;
  }
  return undefined;
}

/** The first of `interfaces` that declares the error in `data`, parsed. */
function parseRevert(data: string, interfaces: readonly Interface[]) {
  for (const iface of interfaces) {
    try {
      const parsed = iface.parseError(data);
      if (parsed !== null) return parsed;
    } catch {
      // not this interface's error
    }
  }
  return null;
}

/**
 * Names a revert after the first of `interfaces` that declares its error (the group's own errors by default;
 * Error(string) and Panic always decode): a PrivateTransactionRevertedError without a name from Besu's path,
 * or an ethers/Hardhat error with revert data from an ordinary EVM chain, becomes a named
 * PrivateTransactionRevertedError. Anything else is returned as it is, to rethrow.
 */
export function decodeRevert(error: unknown, interfaces: readonly Interface[] = [GROUP_ERRORS]): unknown {
  if (error instanceof PrivateTransactionRevertedError) {
    const parsed = error.errorName === null ? parseRevert(error.data, interfaces) : null;
    return parsed === null
      ? error
      : new PrivateTransactionRevertedError(error.markerHash, error.data, parsed.name, [...parsed.args], error.receipt);
  }
  const data = revertData(error);
  const parsed = data === undefined ? null : parseRevert(data, interfaces);
  if (parsed === null || data === undefined) return error;
  return new PrivateTransactionRevertedError("", data, parsed.name, [...parsed.args], undefined, { cause: error });
}

/** What every drop and revert message says: the transaction is not final until its nonce is used. */
const STAYS_VALID =
  "It stays valid until its nonce is used: anyone can send its payload again, and it runs once the group " +
  "lets it. PrivateSigner.cancel(sent) uses up the nonce.";

/** Which of the precompile's checks dropped a private transaction (src/core/drop.ts). */
export type { DropReason };

const DROP_EXPLANATIONS: Record<DropReason, string> = {
  locked: "the group was locked, and then only an addParticipants to 0x…7c runs",
  unlockedForAdd: "it is an addParticipants to 0x…7c, and the group was not locked (lock it first)",
  notMember: "the sender's enclave key (privateFrom) was not a member of the group",
  versionChanged: "the group's version changed between sending and execution (a concurrent membership change)",
  unknown:
    "the group may be locked (only an addParticipants to 0x…7c runs then) or unlocked for an add, its version " +
    "changed between sending and execution (a concurrent membership change), the sender's enclave key is not a " +
    "member, or the contract reverted without revert data",
};

/**
 * Besu's precompile dropped the private transaction: private status 0x0 with no revert data, nothing
 * executed, the nonce not used. `reason` names the check that dropped it; the message starts with it.
 */
export class PrivateTransactionDroppedError extends PrivateTransactionFailedError {
  constructor(
    markerHash: string,
    receipt?: unknown,
    readonly reason: DropReason = "unknown",
  ) {
    super(
      BesuErrorCode.Dropped,
      `${reason}: the private transaction (marker ${markerHash}) was dropped, not executed: ` +
        `${DROP_EXPLANATIONS[reason]}. ${STAYS_VALID}`,
      markerHash,
      receipt,
    );
  }
}

/** PrivateSigner.cancel could not use up the transaction's nonce; the message says why and what to do. */
export class PrivateTransactionCancelError extends PrivateTransactionFailedError {
  constructor(markerHash: string, reason: string, receipt?: unknown) {
    super(BesuErrorCode.CancelRefused, `cannot cancel the private transaction (marker ${markerHash}): ${reason}`, markerHash, receipt);
  }
}

/** addMembers failed after locking; `unlocked` says whether the group was unlocked again. */
export class AddMembersError extends Error {
  constructor(
    readonly cause: unknown,
    readonly unlocked: boolean,
    readonly unlockError?: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      unlocked
        ? `adding members failed (${reason}); the group was unlocked again`
        : `adding members failed (${reason}) and unlocking failed too: the group is still locked`,
      { cause },
    );
    this.name = "AddMembersError";
  }
}

/** A FlexiblePrivacyGroup on an ordinary EVM chain was asked for something only Besu's privacy API has. */
export class BesuOnlyError extends PrivacySdkError<BesuErrorCode> {
  constructor(what: string) {
    super(BesuErrorCode.BesuOnly, `${what} needs Besu's privacy API: this group is on an ordinary EVM chain`);
  }
}
