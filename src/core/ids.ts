import { randomBytes } from "node:crypto";
import { InvalidPrivacyGroupIdError, SdkErrorCode } from "./errors";
import { decodeCanonicalBase64, encodeBase64 } from "./keys";

export const PRIVACY_GROUP_ID_BYTES = 32;

/**
 * A fresh flexible privacy group ID: 32 bytes from the OS CSPRNG in padded
 * base64 (44 characters), the form Besu and Tessera exchange. Random rather
 * than derived so that nobody can predict or collide with a group's ID.
 */
export function generatePrivacyGroupId(): string {
  return encodeBase64(randomBytes(PRIVACY_GROUP_ID_BYTES));
}

/** The 32 bytes of a privacy group ID; throws InvalidPrivacyGroupIdError saying what is wrong. */
export function parsePrivacyGroupId(id: string): Uint8Array {
  const decoded = decodeCanonicalBase64(id);
  if (!decoded.ok) {
    throw new InvalidPrivacyGroupIdError(decoded.problem.code, `privacy group ID is ${decoded.problem.message}`);
  }
  if (decoded.bytes.length !== PRIVACY_GROUP_ID_BYTES) {
    throw new InvalidPrivacyGroupIdError(
      SdkErrorCode.WrongLength,
      `privacy group ID must decode to ${PRIVACY_GROUP_ID_BYTES} bytes, got ${decoded.bytes.length}`,
    );
  }
  return decoded.bytes;
}
