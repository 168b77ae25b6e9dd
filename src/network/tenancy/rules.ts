import { type OwnedFilter, decideAccess, filtersToDrop } from "../../core/access";
import { type MembershipChange, membersAt } from "../../core/history";
import { blockParam, groupIdParam } from "../rpc/params";
import { type LogFilter, filterRange, parseLogFilter } from "../state/logs";
import { Errors, RpcError } from "../rpc/errors";
import type { PrivateFilter } from "../rpc/privacy-api";
import type { AccessRules } from "../types";

/**
 * Which privacy data a multi-tenancy tenant may reach, per group. "documented" applies the seed's rules
 * through the SDK's decideAccess/filtersToDrop, so the rules exist once; "besu-25.5" reproduces Besu 25.5's
 * checks where they differ. Refusals throw the RpcError Besu gives for that method.
 * Parameters are read with the methods' own readers, so a value the rules cannot read is one the method
 * refuses too, with the same error.
 */

/**
 * What the tenancy rules (and anyone watching a running node) need of a node's privacy layer: group
 * membership, the chain's blocks, and the node's private filters. RunningNode.privacy is one.
 */
export interface NodePrivacyView {
  /** The group's membership changes as this node's private logs record them (empty if it has no state). */
  membershipHistory(groupId: string): MembershipChange[];
  headBlockNumber(): number;
  /** The number of a block of this chain, or undefined for an unknown hash. */
  blockNumberOfHash(blockHash: string): number | undefined;
  /** Filters installed with priv_newFilter on this node. */
  filters(): PrivateFilter[];
  dropFilter(id: string): boolean;
}

/** The parts of a signed private transaction the send rules look at. */
export interface PrivateSend {
  privateFrom: string;
  privacyGroupId?: string;
  /** The keys an addParticipants call to 0x…7c names; empty for any other call. */
  addedKeys: readonly string[];
}

/** A private transaction or receipt found by its marker hash, before it is shown to a tenant. */
export interface PrivateRead {
  /** Undefined for a legacy (privateFor) transaction, which belongs to no flexible group. */
  privacyGroupId?: string;
  /** The block of its privacy marker transaction. */
  blockNumber: number;
  /** Whether the node's enclave gives this payload to the tenant's key (a recipient, or history from an add). */
  deliveredToTenant: boolean;
}

/** Methods whose only check is membership of the group in params[0], refused with 401 as Besu does. */
const FILTER_USES = new Set(["priv_getFilterChanges", "priv_getFilterLogs", "priv_uninstallFilter"]);
const HEAD_MEMBERSHIP_METHODS = new Set([
  "priv_getCode",
  "priv_getFilterChanges",
  "priv_getFilterLogs",
  "priv_uninstallFilter",
  "priv_traceTransaction",
  "priv_unsubscribe",
]);

export class TenantAccess {
  constructor(
    readonly rules: AccessRules,
    private readonly view: NodePrivacyView,
  ) {}

  /**
   * Checks a request before it runs: returns the params to run it with, which differ from the given ones
   * only for a removed tenant's priv_getLogs (toBlock clamped to the removal block); throws when refused.
   * `send` is a send method's transaction as decoded where the request entered (undefined if it does not decode).
   */
  checkRequest(method: string, params: readonly unknown[], tenantKey: string, send?: PrivateSend): readonly unknown[] {
    switch (method) {
      case "eea_sendRawTransaction":
      case "priv_distributeRawTransaction":
        this.checkSend(method, send, tenantKey);
        return params;
      case "priv_getEeaTransactionCount":
        if (params[1] !== tenantKey) throw Errors.privateFromMismatch();
        return params;
      case "privx_findFlexiblePrivacyGroup":
      case "privx_findOnchainPrivacyGroup":
        if (Array.isArray(params[0]) && !params[0].includes(tenantKey)) throw Errors.findFlexiblePrivacyGroup();
        return params;
      case "priv_getTransactionCount":
        this.checkAtHead(method, params[1], tenantKey, Errors.nonceUnknown);
        return params;
      case "priv_call":
        this.checkCall(params, tenantKey);
        return params;
      case "priv_getLogs":
        return this.checkLogs(params, tenantKey);
      case "priv_debugGetStateRoot":
        this.checkStateRoot(params, tenantKey);
        return params;
      case "priv_newFilter":
      case "priv_subscribe":
        this.checkNewFilter(params, tenantKey);
        return params;
      default:
        if (HEAD_MEMBERSHIP_METHODS.has(method)) this.checkAtHead(method, params[0], tenantKey, Errors.unauthorized);
        if (FILTER_USES.has(method)) this.checkFilterOwner(params, tenantKey);
        // priv_getTransactionReceipt and priv_getPrivateTransaction are checked on what they find (mayRead);
        // everything else carries no group.
        return params;
    }
  }

  /** May the tenant see this private transaction or receipt? If not, the method answers null. */
  mayRead(read: PrivateRead, tenantKey: string): boolean {
    // Tessera decides first in both modes: a key that never received the payload cannot decrypt it.
    if (!read.deliveredToTenant) return false;
    if (this.rules === "besu-25.5" || read.privacyGroupId === undefined) return true;
    const history = this.view.membershipHistory(read.privacyGroupId);
    if (history.length === 0) return true;
    // Transactions and receipts follow one rule; decideAccess treats both methods alike.
    return decideAccess(history, tenantKey, { method: "priv_getTransactionReceipt", blockNumber: read.blockNumber })
      .allowed;
  }

  /**
   * The filters to uninstall because of a membership change. Besu 25.5 means to drop them too, but passes
   * base64 of the ABI-encoded argument instead of the key, so in its mode nothing is ever dropped.
   */
  filtersToDrop(change: MembershipChange, filters: readonly OwnedFilter[]): string[] {
    return this.rules === "besu-25.5" ? [] : filtersToDrop(change, filters);
  }

  private checkSend(method: string, send: PrivateSend | undefined, tenantKey: string): void {
    // An undecodable transaction or one without a group gets the method's own error.
    if (send === undefined) return;
    if (method === "priv_distributeRawTransaction" && send.privateFrom !== tenantKey)
      throw Errors.privateFromMismatch();
    if (send.privacyGroupId === undefined) return;
    const history = this.view.membershipHistory(send.privacyGroupId);
    if (history.length === 0 || this.isMemberAt(history, tenantKey, this.view.headBlockNumber())) return;
    // Besu lets a non-member send an add that names its own key; the seed's rules leave sending to members.
    if (this.rules === "besu-25.5" && send.addedKeys.includes(tenantKey)) return;
    throw Errors.enclave();
  }

  /**
   * Besu reads a filter whatever group the call names, so a member of one group holding another group's
   * filter id could read that group's logs. The seed's rules scope data to the tenant's groups: a filter
   * is used only by its owner, through its own group.
   */
  private checkFilterOwner(params: readonly unknown[], tenantKey: string): void {
    if (this.rules === "besu-25.5" || typeof params[1] !== "string") return;
    const id = params[1].toLowerCase();
    const filter = this.view.filters().find((installed) => installed.id === id);
    if (filter !== undefined && (filter.groupId !== params[0] || filter.ownerKey !== tenantKey))
      throw Errors.unauthorized();
  }

  /**
   * A filter holds memory until it is polled or expires, so a tenant installs one only on a group it is a
   * member of now: a group this node has no members for (unknown, or a made-up id) is refused too.
   */
  private checkNewFilter(params: readonly unknown[], tenantKey: string): void {
    const history = this.view.membershipHistory(groupIdParam(params[0]));
    if (!membersAt(history, this.view.headBlockNumber()).has(tenantKey)) throw Errors.unauthorized();
  }

  private checkAtHead(method: string, groupParam: unknown, tenantKey: string, refusal: () => RpcError): void {
    const history = this.view.membershipHistory(groupIdParam(groupParam));
    if (!this.allows(history, tenantKey, { method }, this.view.headBlockNumber())) throw refusal();
  }

  private checkCall(params: readonly unknown[], tenantKey: string): void {
    const history = this.view.membershipHistory(groupIdParam(params[0]));
    const blockNumber = this.blockOf(params[2]);
    // A block the method cannot read or has not reached gives an error or null, never data.
    if (blockNumber === undefined) return;
    if (!this.allows(history, tenantKey, { method: "priv_call", blockNumber }, blockNumber))
      throw Errors.unauthorized();
  }

  private checkStateRoot(params: readonly unknown[], tenantKey: string): void {
    this.checkAtHead("priv_debugGetStateRoot", params[0], tenantKey, Errors.findPrivacyGroup);
    if (this.rules === "documented") return;
    // Besu then checks membership again at the requested block.
    const history = this.view.membershipHistory(params[0] as string);
    const blockNumber = this.blockOf(params[1]);
    if (blockNumber !== undefined && !this.isMemberAt(history, tenantKey, blockNumber)) throw Errors.unauthorized();
  }

  private checkLogs(params: readonly unknown[], tenantKey: string): readonly unknown[] {
    const history = this.view.membershipHistory(groupIdParam(params[0]));
    const filter: LogFilter = parseLogFilter(params[1]);
    const head = this.view.headBlockNumber();
    const range = filterRange(filter, head, (hash) => this.view.blockNumberOfHash(hash));
    // An unknown block or an empty range gives no logs to anyone.
    if (range === undefined) return params;
    const [from, to] = range;
    if (filter.blockHash !== undefined) {
      // Besu checks a blockHash query at that block; the seed's rules treat it as the range [block, block].
      const request = { method: "priv_getLogs", fromBlock: from, toBlock: to };
      if (!this.allows(history, tenantKey, request, from)) throw Errors.unauthorized();
      return params;
    }
    if (this.rules === "besu-25.5") {
      // A range is checked at the head, so a removed member gets nothing, not a clamped range.
      if (!this.isMemberAt(history, tenantKey, head)) throw Errors.unauthorized();
      return params;
    }
    if (history.length === 0) return params;
    const decision = decideAccess(history, tenantKey, { method: "priv_getLogs", fromBlock: from, toBlock: to });
    if (!decision.allowed) throw Errors.unauthorized();
    if (decision.toBlock === undefined || decision.toBlock >= to) return params;
    const clamped = { ...(params[1] as Record<string, unknown>), toBlock: "0x" + decision.toBlock.toString(16) };
    return [params[0], clamped, ...params.slice(2)];
  }

  /**
   * The rule of each mode for one request: the seed's (decideAccess) or Besu's membership at a block.
   * A group this node has no state for hides nothing and must stay creatable: both modes pass it.
   */
  private allows(
    history: readonly MembershipChange[],
    tenantKey: string,
    request: { method: string; blockNumber?: number; fromBlock?: number; toBlock?: number },
    atBlock: number,
  ): boolean {
    if (history.length === 0) return true;
    if (this.rules === "documented") return decideAccess(history, tenantKey, request).allowed;
    return this.isMemberAt(history, tenantKey, atBlock);
  }

  /** Besu's membership check: the members after that block; a group with none there does not exist yet and passes. */
  private isMemberAt(history: readonly MembershipChange[], tenantKey: string, blockNumber: number): boolean {
    const members = membersAt(history, blockNumber);
    return members.size === 0 || members.has(tenantKey);
  }

  /** The block a parameter names, as the method reads it; undefined when the method refuses it or is past the head. */
  private blockOf(param: unknown): number | undefined {
    try {
      return blockParam(param, this.view.headBlockNumber());
    } catch {
      return undefined;
    }
  }
}
