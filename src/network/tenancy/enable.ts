import { isTesseraKey } from "../../core/keys";
import { TokenVerifier, authorizeCall } from "./auth";
import type { NodeEndpoint, RpcContext } from "../rpc/endpoint";
import type { Caller, DecodedSend } from "../rpc/privacy-api";
import type { PrivateRecord } from "../state/node";
import { participantsFromCalldata } from "../state/group";
import { RpcError } from "../rpc/errors";
import { type NodePrivacyView, type PrivateSend, TenantAccess } from "./rules";
import type { AccessRules, JwtConfig, NodeConfig } from "../types";

/**
 * Turns a node into a multi-tenancy node (Besu's --privacy-multi-tenancy-enabled): every request needs a
 * Bearer JWT, privacy calls act for the token's key alone, and the tenancy rules gate each privacy call.
 * Returns what to run after each block the node processes (dropping a removed tenant's filters).
 */
export function enableMultiTenancy(
  endpoint: NodeEndpoint,
  node: NodePrivacyView,
  nodeConfig: NodeConfig & { jwt: JwtConfig },
  rules: AccessRules,
  warn: (line: string) => void = (line) => console.error(line),
): (blockNumber: number) => void {
  const verifier = new TokenVerifier(nodeConfig.jwt, (message) => warn(`${nodeConfig.name}: ${message}`));
  const access = new TenantAccess(rules, node);

  endpoint.hooks.resolveCaller = async (context: RpcContext): Promise<Caller> => {
    const decision = authorizeCall(await verifier.session(context.headers.authorization), context.method);
    if (!decision.allowed) {
      const { code, message, httpStatus, keepsRequestId } = decision.refusal;
      const error = new RpcError(code, message, undefined, httpStatus);
      error.hidesRequestId = !keepsRequestId;
      throw error;
    }
    const tenantKey = decision.tenantKey;
    if (tenantKey === undefined) return { keys: [], tenant: true };
    return {
      keys: [tenantKey],
      tenant: true,
      mayRead: (record: PrivateRecord) =>
        access.mayRead(
          {
            privacyGroupId: record.tx.privacyGroupId,
            blockNumber: record.blockNumber,
            deliveredToTenant: record.visibleTo.has(tenantKey),
          },
          tenantKey,
        ),
    };
  };
  endpoint.hooks.checkAccess = (context, caller) => [
    ...access.checkRequest(context.method, context.params, caller.keys[0], describeSend(context.send)),
  ];

  return (blockNumber) => {
    try {
      dropRemovedTenantsFilters(blockNumber);
    } catch {
      // A membership history that cannot be read (a custom contract's odd logs) must not stop block
      // processing; the tenancy checks still refuse a removed tenant's filter calls.
    }
  };

  function dropRemovedTenantsFilters(blockNumber: number): void {
    const filters = node.filters();
    for (const groupId of new Set(filters.map((filter) => filter.groupId))) {
      // Only well-formed keys can be removed, so a filter whose owner's token carried junk never matches.
      const owned = filters
        .filter((filter) => filter.groupId === groupId && isTesseraKey(filter.ownerKey))
        .map((filter) => ({ id: filter.id, tenantKey: filter.ownerKey }));
      const removals = node.membershipHistory(groupId).filter((change) => change.blockNumber === blockNumber);
      for (const change of removals) access.filtersToDrop(change, owned).forEach((id) => node.dropFilter(id));
    }
  }
}

/** The parts of a decoded send the rules look at; undefined when it did not decode. */
function describeSend(send: DecodedSend | undefined): PrivateSend | undefined {
  if (send?.tx === undefined) return undefined;
  const { tx } = send;
  return {
    privateFrom: tx.privateFrom,
    privacyGroupId: tx.privacyGroupId,
    addedKeys: participantsFromCalldata(tx.to, tx.data),
  };
}
