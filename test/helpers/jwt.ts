import crypto from "node:crypto";
import type { NetworkConfig } from "../../src/network/types";

const { privateKey: TOKEN_KEY, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });

/** A second tenant on node 1's enclave, beside node 1's own key. */
export const TENANT_B = Buffer.alloc(32, 0x5b).toString("base64");

/** Makes node 1 multi-tenant: its own key and TENANT_B, each reached with a token from `token`. */
export function multiTenantNode1(config: NetworkConfig): void {
  const node = config.nodes[0];
  node.multiTenancy = true;
  node.enclaveKeys = [node.enclaveKeys[0], TENANT_B];
  node.jwt = { publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(), algorithm: "RS256" };
}

/** An RS256 JWT as Besu's multi-tenancy reads it: the tenant's enclave key, permissions, and an expiry. */
export function token(tenantKey: string, expiresInSeconds = 300): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${part({ alg: "RS256", typ: "JWT" })}.${part({
    privacyPublicKey: tenantKey,
    permissions: ["*:*"],
    exp: Math.floor(Date.now() / 1000) + expiresInSeconds,
  })}`;
  return `${body}.${crypto.sign("sha256", Buffer.from(body), TOKEN_KEY).toString("base64url")}`;
}
