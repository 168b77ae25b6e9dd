import { type MembershipChange, membershipHistory } from "./history";
import { isTesseraKey, parseTesseraKey } from "./keys";

/** Stable refusal codes: `decision.reason` is always one of these. */
export const AccessRefusal = {
  /** The request is not `{ method: string }` with non-negative integer block numbers. */
  InvalidRequest: "INVALID_REQUEST",
  /** The method is not a privacy method (priv_, privx_, eea_); group membership cannot vouch for it. */
  NotAPrivacyMethod: "NOT_A_PRIVACY_METHOD",
  /** The tenant key is not a canonical base64 Tessera key. */
  InvalidTenantKey: "INVALID_TENANT_KEY",
  /** fromBlock > toBlock: an empty or mistaken range, refused for everyone. */
  InvalidBlockRange: "INVALID_BLOCK_RANGE",
  /** The tenant was never a member of the group. */
  NeverAMember: "NEVER_A_MEMBER",
  /** A removed tenant asked for data without saying which block it is in. */
  MissingBlockNumber: "MISSING_BLOCK_NUMBER",
  /** A removed tenant called priv_getLogs without a resolved fromBlock. */
  MissingFromBlock: "MISSING_FROM_BLOCK",
  /** A removed tenant asked for data from after its latest removal. */
  AfterRemoval: "AFTER_REMOVAL",
  /** A removed tenant may not create filters. */
  RemovedCannotCreateFilters: "REMOVED_CANNOT_CREATE_FILTERS",
  /** A removed tenant's filters were dropped at its removal. */
  RemovedFiltersDropped: "REMOVED_FILTERS_DROPPED",
  /** Any other privacy method is closed to a removed tenant. */
  RemovedMethodNotAllowed: "REMOVED_METHOD_NOT_ALLOWED",
} as const;

export type AccessRefusal = (typeof AccessRefusal)[keyof typeof AccessRefusal];

/** A privacy JSON-RPC request, block tags already resolved to numbers. */
export type AccessRequest = {
  method: string;
  /** Block of the transaction asked about, or the block priv_call runs at. */
  blockNumber?: number;
  fromBlock?: number;
  toBlock?: number;
};

/** When `toBlock` is set, the caller must run the request with that toBlock instead of its own. */
export type AccessDecision =
  | { allowed: true; reason?: undefined; toBlock?: number }
  | { allowed: false; reason: AccessRefusal; toBlock?: undefined };

export type MembershipStatus =
  | { state: "member" }
  | { state: "never-member" }
  | { state: "removed"; removedAt: number };

/** A filter installed through priv_newFilter, with the tenant that owns it. */
export type OwnedFilter = { id: string; tenantKey: string };

const PRIVACY_METHOD_PREFIXES = ["priv_", "privx_", "eea_"];
const TRANSACTION_READS = new Set([
  "priv_getPrivateTransaction",
  "priv_getTransaction",
  "priv_getTransactionReceipt",
  "priv_call",
]);
const FILTER_USES = new Set(["priv_getFilterChanges", "priv_getFilterLogs", "priv_uninstallFilter"]);

/** Case-sensitive, as JSON-RPC method names are. */
export function isPrivacyMethod(method: string): boolean {
  return PRIVACY_METHOD_PREFIXES.some((prefix) => method.startsWith(prefix));
}

/**
 * Where a key stands after the whole history. A change that does not alter
 * membership (adding a member, removing a non-member) is a no-op, so
 * `removedAt` is the block of the latest removal that actually ended a membership.
 */
export function membershipStatus(history: readonly MembershipChange[], key: string): MembershipStatus {
  parseTesseraKey(key);
  return statusInChainOrder(membershipHistory(history), key);
}

function statusInChainOrder(changes: readonly MembershipChange[], key: string): MembershipStatus {
  let isMember = false;
  let removedAt: number | undefined;
  for (const change of changes) {
    if (change.key !== key) continue;
    if (change.kind === "removed" && isMember) removedAt = change.blockNumber;
    isMember = change.kind === "added";
  }
  if (isMember) return { state: "member" };
  return removedAt === undefined ? { state: "never-member" } : { state: "removed", removedAt };
}

/**
 * May `tenantKey` make `request` against the group whose membership is `history`?
 * Throws InvalidMembershipHistoryError if the history itself is malformed (the
 * caller's data); anything wrong with the tenant or request is a refusal, so the
 * gate fails closed on untrusted input.
 */
export function decideAccess(
  history: readonly MembershipChange[],
  tenantKey: string,
  request: AccessRequest,
): AccessDecision {
  const changes = membershipHistory(history);
  if (!isWellFormedRequest(request)) return refuse(AccessRefusal.InvalidRequest);
  if (!isPrivacyMethod(request.method)) return refuse(AccessRefusal.NotAPrivacyMethod);
  if (!isTesseraKey(tenantKey)) return refuse(AccessRefusal.InvalidTenantKey);
  const { method, blockNumber, fromBlock, toBlock } = request;
  if (fromBlock !== undefined && toBlock !== undefined && fromBlock > toBlock) {
    return refuse(AccessRefusal.InvalidBlockRange);
  }

  const status = statusInChainOrder(changes, tenantKey);
  if (status.state === "member") return { allowed: true };
  if (status.state === "never-member") return refuse(AccessRefusal.NeverAMember);

  // A removed tenant keeps read access to everything up to and including its removal block.
  const removedAt = status.removedAt;
  if (method === "priv_newFilter") return refuse(AccessRefusal.RemovedCannotCreateFilters);
  if (FILTER_USES.has(method)) return refuse(AccessRefusal.RemovedFiltersDropped);
  if (TRANSACTION_READS.has(method)) {
    if (blockNumber === undefined) return refuse(AccessRefusal.MissingBlockNumber);
    return blockNumber <= removedAt ? { allowed: true } : refuse(AccessRefusal.AfterRemoval);
  }
  if (method === "priv_getLogs") {
    // A missing fromBlock means "latest" in JSON-RPC, which only a resolver knowing the head can compare with removedAt.
    if (fromBlock === undefined) return refuse(AccessRefusal.MissingFromBlock);
    if (fromBlock > removedAt) return refuse(AccessRefusal.AfterRemoval);
    return { allowed: true, toBlock: Math.min(toBlock ?? removedAt, removedAt) };
  }
  return refuse(AccessRefusal.RemovedMethodNotAllowed);
}

/**
 * The filters to uninstall because of `change`: when a key is removed, every
 * filter it owns goes (a later re-add does not bring them back). Additions drop
 * nothing, so callers can pass every new change through this. `filters` are
 * the filters of this group only; their tenant keys are validated so that a
 * malformed key cannot silently keep a filter alive.
 */
export function filtersToDrop(change: MembershipChange, filters: readonly OwnedFilter[]): string[] {
  const [removal] = membershipHistory([change]);
  if (removal.kind !== "removed") return [];
  return filters
    .filter((filter) => {
      parseTesseraKey(filter.tenantKey);
      return filter.tenantKey === removal.key;
    })
    .map((filter) => filter.id);
}

function refuse(reason: AccessRefusal): AccessDecision {
  return { allowed: false, reason };
}

function isWellFormedRequest(request: unknown): request is AccessRequest {
  if (typeof request !== "object" || request === null) return false;
  const { method, blockNumber, fromBlock, toBlock } = request as Record<string, unknown>;
  const isOptionalBlock = (value: unknown): boolean =>
    value === undefined || (typeof value === "number" && Number.isSafeInteger(value) && value >= 0);
  return typeof method === "string" && [blockNumber, fromBlock, toBlock].every(isOptionalBlock);
}
