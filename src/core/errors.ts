/**
 * Machine-readable error codes. Callers branch on `error.code`, never on the
 * wording of `error.message`, so messages can improve without breaking anyone.
 */
export const SdkErrorCode = {
  NotAString: "NOT_A_STRING",
  Base64BadCharacter: "BASE64_BAD_CHARACTER",
  Base64BadPadding: "BASE64_BAD_PADDING",
  Base64NotCanonical: "BASE64_NOT_CANONICAL",
  WrongLength: "WRONG_LENGTH",
  InvalidHex: "INVALID_HEX",
  InvalidChange: "INVALID_CHANGE",
  AmbiguousOrder: "AMBIGUOUS_ORDER",
  DuplicatePosition: "DUPLICATE_POSITION",
  MalformedLog: "MALFORMED_LOG",
  // Private transactions (src/core/codec.ts): each names one thing Besu would refuse.
  MalformedTransaction: "MALFORMED_TRANSACTION",
  LeadingZero: "LEADING_ZERO",
  InvalidField: "INVALID_FIELD",
  RecipientsAmbiguous: "RECIPIENTS_AMBIGUOUS",
  RecipientsMissing: "RECIPIENTS_MISSING",
  UnknownRestriction: "UNKNOWN_RESTRICTION",
  UnsupportedV: "UNSUPPORTED_V",
  InvalidSignature: "INVALID_SIGNATURE",
  NotSigned: "NOT_SIGNED",
  ValueNotZero: "VALUE_NOT_ZERO",
} as const;

export type SdkErrorCode = (typeof SdkErrorCode)[keyof typeof SdkErrorCode];

/** Base class of every error this SDK throws on purpose; the Besu client's errors bring their own codes. */
export class PrivacySdkError<Code extends string = SdkErrorCode> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A privacy group ID is not 32 bytes in canonical, padded base64. */
export class InvalidPrivacyGroupIdError extends PrivacySdkError {}

/** A Tessera public key is not 32 or 91 bytes in canonical base64 (or 0x hex). */
export class InvalidTesseraKeyError extends PrivacySdkError {}

/** A membership history (or a log it was built from) cannot be trusted as given. */
export class InvalidMembershipHistoryError extends PrivacySdkError {}
