import crypto from "node:crypto";

const { privateKey: TOKEN_KEY, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });

/** The key a multi-tenant test node checks tokens with (its `jwt.publicKeyPem`, from `.export(...)`). */
export const TOKEN_PUBLIC_KEY = publicKey;

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
