import { type AccessRequest, type OwnedFilter, decideAccess, filtersToDrop } from "../access";
import { type MembershipChange, membersAt } from "../history";
import { decodeCanonicalBase64 } from "../keys";
import type { AccessRules } from "./types";

/**
 * Which privacy data a multi-tenancy tenant may reach, per group. "documented" applies the seed's rules
 * through the SDK's decideAccess/filtersToDrop, so the rules exist once; "besu-25.5" reproduces Besu 25.5's
 * checks (reference §5 table) where they differ. Refusals carry the error Besu gives for that method.
 */

/** What the node knows that the rules need. */
export interface TenancyView {
  /** The group's membership changes as this node processed them; empty when this node has no state for it. */
  membershipHistory(groupId: string): readonly MembershipChange[];
  headBlockNumber(): number;
  /** The number of a block of this chain, or undefined for an unknown hash. */
  blockNumberOfHash(blockHash: string): number | undefined;
  /** The parts of a signed private transaction the send rules look at, or undefined if it does not decode. */
  describeSend(rawHex: string): PrivateSend | undefined;
}

export interface PrivateSend {
  privateFrom: string;
  privacyGroupId?: string;
  /** The keys an addParticipants call to 0x…7c names; empty for any other call. */
  addedKeys: readonly string[];
}

/** A JSON-RPC error as Besu answers it (netcore's RpcError has this shape). */
export interface TenancyError {
  code: number;
  message: string;
  httpStatus: number;
}

export type TenancyDecision = { allowed: true; params: readonly unknown[] } | { allowed: false; error: TenancyError };

/** A private transaction or receipt found by its marker hash, before it is shown to a tenant. */
export interface PrivateRead {
  privacyGroupId: string;
  /** The block of its privacy marker transaction. */
  blockNumber: number;
  /** Whether the node's enclave gives this payload to the tenant's key (a recipient, or history from an add). */
  deliveredToTenant: boolean;
}

const failure = (code: number, message: string, httpStatus = 200): TenancyError => ({ code, message, httpStatus });
export const TenancyErrors = {
  unauthorized: failure(-40100, "Unauthorized", 401),
  enclave: failure(-50100, "Error communicating with enclave"),
  privateFromMismatch: failure(-50100, "Private from does not match enclave public key"),
  nonceUnknown: failure(-50100, "Unable to determine nonce for account in group."),
  findPrivacyGroup: failure(-50100, "Error finding privacy group"),
  findFlexiblePrivacyGroup: failure(-50100, "Error finding flexible privacy group"),
  invalidPrivacyGroupParams: failure(-32602, "Invalid privacy group params"),
} as const;

/** Methods whose only check is membership of the group in params[0], refused with 401 as Besu does. */
const HEAD_MEMBERSHIP_METHODS = new Set([
  "priv_getCode",
  "priv_newFilter",
  "priv_getFilterChanges",
  "priv_getFilterLogs",
  "priv_uninstallFilter",
  "priv_traceTransaction",
]);
const HEAD_BLOCK_TAGS = new Set(["latest", "pending", "safe", "finalized"]);

export class TenantAccess {
  constructor(
    readonly rules: AccessRules,
    private readonly view: TenancyView,
  ) {}

  /**
   * Checks a request before it runs. Allowed requests come back with the params to run, which differ from
   * the given ones only for a removed tenant's priv_getLogs (toBlock clamped to the removal block).
   */
  checkRequest(method: string, params: readonly unknown[], tenantKey: string): TenancyDecision {
    const allow: TenancyDecision = { allowed: true, params };
    switch (method) {
      case "eea_sendRawTransaction":
      case "priv_distributeRawTransaction":
        return this.checkSend(method, params, tenantKey);
      case "priv_getEeaTransactionCount":
        return params[1] === tenantKey ? allow : refuse(TenancyErrors.privateFromMismatch);
      case "privx_findFlexiblePrivacyGroup":
      case "privx_findOnchainPrivacyGroup":
        return !Array.isArray(params[0]) || params[0].includes(tenantKey)
          ? allow
          : refuse(TenancyErrors.findFlexiblePrivacyGroup);
      case "priv_getTransactionCount":
        return this.checkAtHead(method, params[1], tenantKey, TenancyErrors.nonceUnknown, params);
      case "priv_call":
        return this.checkAtBlock(method, params, tenantKey);
      case "priv_getLogs":
        return this.checkLogs(params, tenantKey);
      case "priv_debugGetStateRoot":
        return this.checkStateRoot(params, tenantKey);
      default:
        if (HEAD_MEMBERSHIP_METHODS.has(method)) {
          return this.checkAtHead(method, params[0], tenantKey, TenancyErrors.unauthorized, params);
        }
        // priv_getTransactionReceipt and priv_getPrivateTransaction are checked on their result (mayRead);
        // everything else carries no group.
        return allow;
    }
  }

  /** May the tenant see this private transaction or receipt? If not, the method answers null. */
  mayRead(method: string, read: PrivateRead, tenantKey: string): boolean {
    // Tessera decides first in both modes: a key that never received the payload cannot decrypt it.
    if (!read.deliveredToTenant) return false;
    if (this.rules === "besu-25.5") return true;
    const history = this.view.membershipHistory(read.privacyGroupId);
    if (history.length === 0) return true;
    return decideAccess(history, tenantKey, { method, blockNumber: read.blockNumber }).allowed;
  }

  /**
   * The filters to uninstall because of a membership change. Besu 25.5 means to drop them too, but passes
   * base64 of the ABI-encoded argument instead of the key, so in its mode nothing is ever dropped.
   */
  filtersToDrop(change: MembershipChange, filters: readonly OwnedFilter[]): string[] {
    return this.rules === "besu-25.5" ? [] : filtersToDrop(change, filters);
  }

  private checkSend(method: string, params: readonly unknown[], tenantKey: string): TenancyDecision {
    const allow: TenancyDecision = { allowed: true, params };
    const send = typeof params[0] === "string" ? this.view.describeSend(params[0]) : undefined;
    // An undecodable transaction or one without a group gets the method's own error.
    if (send === undefined) return allow;
    if (method === "priv_distributeRawTransaction" && send.privateFrom !== tenantKey) {
      return refuse(TenancyErrors.privateFromMismatch);
    }
    if (send.privacyGroupId === undefined) return allow;
    const history = this.history(send.privacyGroupId);
    if (history === undefined) return refuse(TenancyErrors.invalidPrivacyGroupParams);
    if (history.length === 0 || this.isMemberAt(history, tenantKey, this.view.headBlockNumber())) return allow;
    // Besu lets a non-member send an add that names its own key; the seed's rules leave sending to members.
    if (this.rules === "besu-25.5" && send.addedKeys.includes(tenantKey)) return allow;
    return refuse(TenancyErrors.enclave);
  }

  private checkAtHead(
    method: string,
    groupId: unknown,
    tenantKey: string,
    error: TenancyError,
    params: readonly unknown[],
  ): TenancyDecision {
    const history = this.history(groupId);
    if (history === undefined) return refuse(TenancyErrors.invalidPrivacyGroupParams);
    return this.decide(history, tenantKey, { method }, this.view.headBlockNumber())
      ? { allowed: true, params }
      : refuse(error);
  }

  private checkAtBlock(method: string, params: readonly unknown[], tenantKey: string): TenancyDecision {
    const history = this.history(params[0]);
    if (history === undefined) return refuse(TenancyErrors.invalidPrivacyGroupParams);
    const blockNumber = this.resolveBlock(params[2]);
    if (history.length === 0) return { allowed: true, params };
    if (blockNumber === undefined) return this.onlyForMembers(history, tenantKey, params, TenancyErrors.unauthorized);
    return this.decide(history, tenantKey, { method, blockNumber }, blockNumber)
      ? { allowed: true, params }
      : refuse(TenancyErrors.unauthorized);
  }

  private checkStateRoot(params: readonly unknown[], tenantKey: string): TenancyDecision {
    const head = this.checkAtHead(
      "priv_debugGetStateRoot",
      params[0],
      tenantKey,
      TenancyErrors.findPrivacyGroup,
      params,
    );
    if (!head.allowed || this.rules === "documented") return head;
    // Besu then checks membership again at the requested block.
    const history = this.history(params[0]) ?? [];
    const blockNumber = this.resolveBlock(params[1]);
    if (history.length === 0 || blockNumber === undefined) return head;
    return this.isMemberAt(history, tenantKey, blockNumber) ? head : refuse(TenancyErrors.unauthorized);
  }

  private checkLogs(params: readonly unknown[], tenantKey: string): TenancyDecision {
    const history = this.history(params[0]);
    if (history === undefined) return refuse(TenancyErrors.invalidPrivacyGroupParams);
    if (history.length === 0) return { allowed: true, params };
    const filter = params[1];
    if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
      return this.onlyForMembers(history, tenantKey, params, TenancyErrors.unauthorized);
    }
    // null means absent, as the method reads it.
    const { blockHash, fromBlock, toBlock } = withoutNulls(filter as Record<string, unknown>);
    const head = this.view.headBlockNumber();
    if (blockHash !== undefined) {
      const blockNumber = typeof blockHash === "string" ? this.view.blockNumberOfHash(blockHash) : undefined;
      // An unknown block has no logs to give away; the method answers it.
      if (blockNumber === undefined) return { allowed: true, params };
      const request = { method: "priv_getLogs", fromBlock: blockNumber, toBlock: blockNumber };
      return this.decide(history, tenantKey, request, blockNumber)
        ? { allowed: true, params }
        : refuse(TenancyErrors.unauthorized);
    }
    // Besu's priv_getLogs reads a missing fromBlock as 0 and a missing toBlock as the head.
    const from = fromBlock === undefined ? 0 : this.resolveBlock(fromBlock);
    const to = toBlock === undefined ? head : this.resolveBlock(toBlock);
    if (from === undefined || to === undefined) {
      return this.onlyForMembers(history, tenantKey, params, TenancyErrors.unauthorized);
    }
    if (this.rules === "besu-25.5") {
      // A range is checked at the head, so a removed member gets nothing, not a clamped range.
      return this.isMemberAt(history, tenantKey, head) ? { allowed: true, params } : refuse(TenancyErrors.unauthorized);
    }
    // An empty range (from > to) gives nothing; only its lower end matters for a removed tenant.
    const decision = decideAccess(history, tenantKey, {
      method: "priv_getLogs",
      fromBlock: from,
      toBlock: Math.max(from, to),
    });
    if (!decision.allowed) return refuse(TenancyErrors.unauthorized);
    if (decision.toBlock === undefined || decision.toBlock >= to) return { allowed: true, params };
    const clamped = { ...(filter as Record<string, unknown>), toBlock: "0x" + decision.toBlock.toString(16) };
    return { allowed: true, params: [params[0], clamped, ...params.slice(2)] };
  }

  /**
   * The rule of each mode for one request: the seed's (decideAccess) or Besu's membership at a block.
   * Besu passes a group that has no state at that block: flexible groups may not exist yet.
   */
  private decide(
    history: readonly MembershipChange[],
    tenantKey: string,
    request: AccessRequest,
    atBlock: number,
  ): boolean {
    // A group this node has no state for hides nothing (and must be creatable): Besu passes it in both modes.
    if (history.length === 0) return true;
    if (this.rules === "documented") return decideAccess(history, tenantKey, request).allowed;
    return this.isMemberAt(history, tenantKey, atBlock);
  }

  private isMemberAt(history: readonly MembershipChange[], tenantKey: string, blockNumber: number): boolean {
    const members = membersAt(history, blockNumber);
    return members.size === 0 || members.has(tenantKey);
  }

  /** A request whose blocks cannot be read runs only for a current member, whose access has no bound. */
  private onlyForMembers(
    history: readonly MembershipChange[],
    tenantKey: string,
    params: readonly unknown[],
    error: TenancyError,
  ): TenancyDecision {
    const members = membersAt(history, Number.MAX_SAFE_INTEGER);
    return members.has(tenantKey) ? { allowed: true, params } : refuse(error);
  }

  /** The history of a well-formed group ID; undefined for anything else, which the caller refuses. */
  private history(groupId: unknown): readonly MembershipChange[] | undefined {
    const decoded = decodeCanonicalBase64(groupId);
    if (!decoded.ok || decoded.bytes.length !== 32) return undefined;
    return this.view.membershipHistory(groupId as string);
  }

  private resolveBlock(param: unknown): number | undefined {
    if (typeof param !== "string") return undefined;
    if (HEAD_BLOCK_TAGS.has(param)) return this.view.headBlockNumber();
    if (param === "earliest") return 0;
    if (!/^0x[0-9a-fA-F]{1,13}$/.test(param)) return undefined;
    return Number.parseInt(param.slice(2), 16);
  }
}

function withoutNulls(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null));
}

function refuse(error: TenancyError): TenancyDecision {
  return { allowed: false, error };
}
