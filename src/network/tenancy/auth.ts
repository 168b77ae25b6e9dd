import crypto from "node:crypto";
import { jwtVerify } from "jose";
import { isPrivacyMethod } from "../../core/access";
import { Errors, type RpcError } from "../rpc/errors";
import type { JwtAlgorithm, JwtConfig } from "../types";

/**
 * Multi-tenancy authentication as Besu 25.5 does it: a Bearer JWT verified with the node's
 * configured public key, `exp` required, method permissions from the `permissions` claim, and the tenant's
 * enclave key from `privacyUserId`, else `privacyPublicKey`.
 */

/** Who is calling, decided once per HTTP request from its Authorization header. */
export type Session =
  /** No Bearer token at all. */
  | { kind: "anonymous" }
  /** A token that does not verify: bad signature, other algorithm, expired, no `exp`, malformed. */
  | { kind: "rejected" }
  | { kind: "authenticated"; permissions: readonly string[]; tenantKey?: string };

/** A refused call, with the JSON-RPC error and HTTP status Besu answers with. */
export interface AuthRefusal {
  code: number;
  message: string;
  httpStatus: 400 | 401;
  /** Besu answers a request without a token with `id: null`; other refusals keep the request's id. */
  keepsRequestId: boolean;
}

export type CallAuthorization = { allowed: true; tenantKey?: string } | { allowed: false; refusal: AuthRefusal };

/** A refusal from one of Besu's errors (rpc/errors.ts, their one home). */
function refusalOf(error: RpcError, keepsRequestId: boolean): AuthRefusal {
  return { code: error.code, message: error.message, httpStatus: error.httpStatus as AuthRefusal["httpStatus"], keepsRequestId };
}
const BEARER = /^Bearer +(\S+)$/i;

/** An `exp` at or past this many seconds (the year 5138) is a time in milliseconds: Besu's own example writes one. */
const MILLISECOND_EXP = 1e11;
/** How many verified tokens a node remembers; the oldest goes first. */
const REMEMBERED_TOKENS = 1_000;

/**
 * Verifies tenants' tokens for one node. A verified token is remembered until it expires, so a batch, or
 * a tenant's next request, verifies it once.
 */
export class TokenVerifier {
  private readonly key: crypto.KeyObject;
  private readonly algorithm: JwtAlgorithm;
  private readonly maxTokenAge: number | undefined;
  /** Tokens being or already verified, each with the second (Unix time) until which its session holds. */
  private readonly verified = new Map<string, Promise<{ session: Session; until: number }>>();
  /** How many signature verifications ran: each token once while it is remembered. */
  verifications = 0;

  constructor(
    config: JwtConfig,
    /** Where a token's oddities are reported, once per token (the node's log). */
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.key = crypto.createPublicKey(config.publicKeyPem);
    this.algorithm = config.algorithm;
    this.maxTokenAge = config.maxTokenAge;
  }

  /** Never throws: whatever the header holds, the answer is a session. */
  async session(authorization: string | undefined): Promise<Session> {
    const token = authorization === undefined ? undefined : BEARER.exec(authorization.trim())?.[1];
    if (token === undefined) return { kind: "anonymous" };
    const remembered = this.verified.get(token);
    if (remembered !== undefined) {
      const { session, until } = await remembered;
      if (Date.now() / 1000 < until) return session;
      if (this.verified.get(token) === remembered) this.verified.delete(token);
    }
    // Remembered at once, so the items of one batch, which arrive together, share one verification. The
    // answer of a check just made stands even if its second has run out (jose counts whole seconds).
    const pending = this.verify(token);
    if (this.verified.size >= REMEMBERED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, pending);
    return (await pending).session;
  }

  private async verify(token: string): Promise<{ session: Session; until: number }> {
    this.verifications++;
    let claims: Record<string, unknown>;
    try {
      // Only the configured algorithm: a token that names another (HS256 with the public key as secret,
      // "none") must fail, not pick its own verification.
      ({ payload: claims } = await jwtVerify(token, this.key, {
        algorithms: [this.algorithm],
        requiredClaims: this.maxTokenAge === undefined ? ["exp"] : ["exp", "iat"],
        maxTokenAge: this.maxTokenAge,
      }));
    } catch {
      // Remembered for a second only: long enough for one batch; a later request checks it again.
      return { session: { kind: "rejected" }, until: Date.now() / 1000 + 1 };
    }
    const exp = claims.exp as number;
    if (exp >= MILLISECOND_EXP) {
      this.warn(
        `a tenant's token has exp ${exp}, a time in milliseconds: read as seconds, as Besu reads it, it never ` +
          `expires. Issue tokens with exp in seconds, or set the node's jwt.maxTokenAge.`,
      );
    }
    const session: Session = { kind: "authenticated", permissions: permissionsOf(claims), tenantKey: tenantKeyOf(claims) };
    const until = this.maxTokenAge === undefined ? exp : Math.min(exp, (claims.iat as number) + this.maxTokenAge);
    return { session, until };
  }
}

/**
 * May this session call `method`? Besu grants `ns_name` to a token whose `permissions` hold `*:*`,
 * `ns:*` or `ns:name`; privacy methods also need a tenant key in the token.
 */
export function authorizeCall(session: Session, method: string): CallAuthorization {
  if (session.kind === "anonymous") return refuse(refusalOf(Errors.unauthorized(), false));
  if (session.kind === "rejected" || !isPermitted(session.permissions, method)) {
    return refuse(refusalOf(Errors.unauthorized(), true));
  }
  if (isPrivacyMethod(method) && session.tenantKey === undefined)
    return refuse(refusalOf(Errors.invalidRequest(), true));
  return { allowed: true, tenantKey: session.tenantKey };
}

/** Besu's JsonRpcMethod.getPermissions: `*:*`, the name with `_` as `:`, and the namespace before the first `_` with `:*`. */
export function isPermitted(permissions: readonly string[], method: string): boolean {
  const separator = method.indexOf("_");
  const granting = ["*:*"];
  if (separator > 0) granting.push(method.replace(/_/g, ":"), method.slice(0, separator) + ":*");
  return permissions.some((permission) => granting.includes(permission));
}

/** The JSON-RPC error object of a refusal, with the id Besu would put in it. */
export function refusalResponse(
  refusal: AuthRefusal,
  requestId: string | number | null,
): { jsonrpc: "2.0"; id: string | number | null; error: { code: number; message: string } } {
  return {
    jsonrpc: "2.0",
    id: refusal.keepsRequestId ? requestId : null,
    error: { code: refusal.code, message: refusal.message },
  };
}

function refuse(refusal: AuthRefusal): CallAuthorization {
  return { allowed: false, refusal };
}

function permissionsOf(claims: Record<string, unknown>): string[] {
  const permissions = claims.permissions;
  return Array.isArray(permissions) ? permissions.filter((entry): entry is string => typeof entry === "string") : [];
}

/** Besu's MultiTenancyUserUtil: `privacyUserId` wins over `privacyPublicKey`. */
function tenantKeyOf(claims: Record<string, unknown>): string | undefined {
  for (const claim of [claims.privacyUserId, claims.privacyPublicKey]) {
    if (typeof claim === "string" && claim.length > 0) return claim;
  }
  return undefined;
}
