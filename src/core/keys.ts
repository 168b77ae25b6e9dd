import { InvalidTesseraKeyError, SdkErrorCode } from "./errors";

/** Tessera public keys are NaCl (32 bytes) or EC (91 bytes, DER-encoded). */
export const TESSERA_KEY_LENGTHS: readonly number[] = [32, 91];

export type Base64Problem = { code: SdkErrorCode; message: string };
export type Base64Decoding = { ok: true; bytes: Uint8Array } | { ok: false; problem: Base64Problem };

const STANDARD_BASE64_CHARACTER = /[A-Za-z0-9+/=]/;

/**
 * Strict decoder shared by group IDs and keys. Node's Buffer accepts almost
 * anything (URL-safe characters, whitespace, missing padding, garbage trailing
 * bits), so two different strings could name the same bytes; accepting only
 * the canonical form keeps "same string" equal to "same key".
 * Returns a problem instead of throwing so each caller raises its own error class.
 */
export function decodeCanonicalBase64(value: unknown): Base64Decoding {
  const fail = (code: SdkErrorCode, message: string): Base64Decoding => ({ ok: false, problem: { code, message } });

  if (typeof value !== "string") {
    return fail(SdkErrorCode.NotAString, `not a string (got ${describeType(value)})`);
  }
  for (let index = 0; index < value.length; index++) {
    if (!STANDARD_BASE64_CHARACTER.test(value[index])) {
      return fail(
        SdkErrorCode.Base64BadCharacter,
        `not base64: character ${JSON.stringify(value[index])} at index ${index} is not in the standard base64 alphabet`,
      );
    }
  }

  const paddingLength = value.length - value.replace(/=+$/, "").length;
  const data = value.slice(0, value.length - paddingLength);
  if (data.includes("=")) {
    return fail(SdkErrorCode.Base64BadPadding, `not base64: "=" at index ${data.indexOf("=")} is not at the end`);
  }
  if (paddingLength > 2) {
    return fail(SdkErrorCode.Base64BadPadding, `not base64: ${paddingLength} "=" padding characters (at most 2)`);
  }
  if (data.length % 4 === 1) {
    return fail(
      SdkErrorCode.Base64BadPadding,
      `not base64: ${data.length} data characters leave a final group of 1, which no padding can complete`,
    );
  }
  if (paddingLength > 0 && value.length % 4 !== 0) {
    return fail(
      SdkErrorCode.Base64BadPadding,
      `not base64: padded length ${value.length} is not a multiple of 4 (wrong number of "=")`,
    );
  }
  if (data.length % 4 !== 0 && paddingLength === 0) {
    return fail(SdkErrorCode.Base64NotCanonical, `not canonical base64: the "=" padding is missing`);
  }

  const bytes = Buffer.from(value, "base64");
  const reencoded = bytes.toString("base64");
  if (reencoded !== value) {
    return fail(
      SdkErrorCode.Base64NotCanonical,
      `not canonical base64: the unused trailing bits are not zero (canonical form is ${reencoded})`,
    );
  }
  return { ok: true, bytes: new Uint8Array(bytes) };
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

/** Decodes a Tessera key given as canonical base64; throws InvalidTesseraKeyError. */
export function parseTesseraKey(base64: string): Uint8Array {
  const decoded = decodeCanonicalBase64(base64);
  if (!decoded.ok) {
    throw new InvalidTesseraKeyError(decoded.problem.code, `Tessera key is ${decoded.problem.message}`);
  }
  assertTesseraKeyLength(decoded.bytes.length);
  return decoded.bytes;
}

/** True for a canonical base64 string of 32 or 91 bytes; never throws. */
export function isTesseraKey(value: unknown): value is string {
  const decoded = decodeCanonicalBase64(value);
  return decoded.ok && TESSERA_KEY_LENGTHS.includes(decoded.bytes.length);
}

/** Tessera base64 key → the contract's `bytes` argument, as the 0x hex string ethers expects. */
export function tesseraKeyToBytes(base64: string): string {
  return "0x" + Buffer.from(parseTesseraKey(base64)).toString("hex");
}

/** The contract's `bytes` (0x hex from ethers, or raw bytes) → Tessera base64 key. */
export function bytesToTesseraKey(hexOrBytes: string | Uint8Array): string {
  const bytes = hexOrBytes instanceof Uint8Array ? hexOrBytes : decodeHex(hexOrBytes);
  assertTesseraKeyLength(bytes.length);
  return encodeBase64(bytes);
}

function decodeHex(hex: unknown): Uint8Array {
  if (typeof hex !== "string" || !/^0x(?:[0-9a-fA-F]{2})*$/.test(hex)) {
    const shown = typeof hex === "string" ? JSON.stringify(hex) : describeType(hex);
    throw new InvalidTesseraKeyError(
      SdkErrorCode.InvalidHex,
      `Tessera key bytes must be a Uint8Array or a 0x-prefixed hex string of whole bytes, got ${shown}`,
    );
  }
  return new Uint8Array(Buffer.from(hex.slice(2), "hex"));
}

function assertTesseraKeyLength(length: number): void {
  if (!TESSERA_KEY_LENGTHS.includes(length)) {
    throw new InvalidTesseraKeyError(
      SdkErrorCode.WrongLength,
      `Tessera key must be ${TESSERA_KEY_LENGTHS.join(" or ")} bytes, got ${length}`,
    );
  }
}

export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
