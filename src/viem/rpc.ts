import type { Client } from "viem";
import { PrivateUnauthorizedError } from "./errors";

/** The JSON-RPC of any viem client, for Besu's methods that viem does not type (priv_, privx_, eea_). */
type Rpc = { request(args: { method: string; params?: unknown[] }): Promise<unknown> };

/**
 * Besu's -40100 Unauthorized (HTTP 401 over HTTP, where viem keeps only the status): no JWT, an expired one,
 * or a tenant that is not a member (multi-tenancy). Looked for along viem's chain of causes.
 */
function isUnauthorized(error: unknown): boolean {
  let cause = error as { code?: unknown; status?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; cause != null && depth < 5; depth++) {
    if (cause.code === -40100 || cause.status === 401) return true;
    cause = cause.cause as typeof cause;
  }
  return false;
}

/** The client's request, with Besu's Unauthorized answered as PrivateUnauthorizedError. */
export const rpc = (client: Client): Rpc => ({
  async request(args) {
    try {
      return await (client as unknown as Rpc).request(args);
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
      throw new PrivateUnauthorizedError(`${args.method} was refused: Unauthorized`, {
        details: "the node needs a valid JWT for this tenant, and the tenant must be a member of the group (multi-tenancy)",
        docsSection: "errors",
        cause: error,
      });
    }
  },
});
