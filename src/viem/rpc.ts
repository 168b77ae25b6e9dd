import type { Client } from "viem";
import { PrivateUnauthorizedError } from "./errors";

/** The JSON-RPC of any viem client, for Besu's methods that viem does not type (priv_, privx_, eea_). */
type Rpc = { request(args: { method: string; params?: unknown[] }): Promise<unknown> };

/**
 * Whether `test` holds for the error or one of its causes, `depth` levels down at most: viem wraps Besu's answer
 * in its own errors, so what Besu said is found along the chain.
 */
export function someCause<T extends object>(error: unknown, test: (cause: T) => boolean, depth = Infinity): boolean {
  let cause = error as (T & { cause?: unknown }) | null | undefined;
  for (let level = 0; cause != null && level < depth; level++) {
    if (test(cause)) return true;
    cause = cause.cause as typeof cause;
  }
  return false;
}

/**
 * Besu's -40100 Unauthorized (HTTP 401 over HTTP, where viem keeps only the status): no JWT, an expired one,
 * or a tenant that is not a member (multi-tenancy).
 */
const isUnauthorized = (error: unknown): boolean =>
  someCause<{ code?: unknown; status?: unknown }>(error, (cause) => cause.code === -40100 || cause.status === 401, 5);

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
