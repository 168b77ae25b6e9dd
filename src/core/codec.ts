import {
  type BigNumberish,
  type BytesLike,
  type SignatureLike,
  Signature,
  SigningKey,
  computeAddress,
  decodeRlp,
  encodeRlp,
  getAddress,
  getBigInt,
  hexlify,
  isHexString,
  keccak256,
  toBeArray,
  toUtf8Bytes,
  toUtf8String,
} from "ethers";
import { PrivacySdkError, SdkErrorCode } from "./errors";
import { parsePrivacyGroupId } from "./ids";
import { bytesToTesseraKey, encodeBase64, parseTesseraKey } from "./keys";

export type Restriction = "restricted" | "unrestricted";

/** Something Besu would refuse in a private transaction; `code` says what (an SdkErrorCode). */
export class PrivateTransactionError extends PrivacySdkError {}

/** The fields of a private transaction, as `PrivateTransaction.from` takes them. Keys and group IDs are base64. */
export interface PrivateTransactionLike {
  nonce?: BigNumberish;
  gasPrice?: BigNumberish;
  gasLimit?: BigNumberish;
  /** null or absent: a contract creation. */
  to?: string | null;
  value?: BigNumberish;
  data?: BytesLike;
  /** null or absent: signed without EIP-155 (v = 27/28), which Besu accepts. */
  chainId?: BigNumberish | null;
  privateFrom?: string;
  /** Legacy EEA recipients; flexible groups use privacyGroupId instead. Never both. */
  privateFor?: readonly string[] | null;
  privacyGroupId?: string | null;
  restriction?: Restriction;
  signature?: SignatureLike | null;
}

const V_WITHOUT_CHAIN_ID = 27n;
const V_EIP155_OFFSET = 35n;

/**
 * A Besu private transaction, in the style of ethers' `Transaction`: the 12-item RLP list
 * `[nonce, gasPrice, gasLimit, to, value, data, v, r, s, privateFrom, privateFor | privacyGroupId, restriction]`.
 * Setters validate, so an instance only ever holds what Besu would decode.
 */
export class PrivateTransaction {
  #nonce = 0;
  #gasPrice = 0n;
  #gasLimit = 0n;
  #to: string | null = null;
  #value = 0n;
  #data = "0x";
  #chainId: bigint | null = null;
  #privateFrom: string | null = null;
  #privateFor: string[] | null = null;
  #privacyGroupId: string | null = null;
  #restriction: Restriction = "restricted";
  #signature: Signature | null = null;

  get nonce(): number {
    return this.#nonce;
  }
  set nonce(value: BigNumberish) {
    const nonce = nonNegative(value, "nonce");
    if (nonce > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(`nonce ${nonce} is too large`);
    this.#nonce = Number(nonce);
  }

  get gasPrice(): bigint {
    return this.#gasPrice;
  }
  set gasPrice(value: BigNumberish) {
    this.#gasPrice = nonNegative(value, "gasPrice");
  }

  get gasLimit(): bigint {
    return this.#gasLimit;
  }
  set gasLimit(value: BigNumberish) {
    this.#gasLimit = nonNegative(value, "gasLimit");
  }

  get to(): string | null {
    return this.#to;
  }
  set to(value: string | null | undefined) {
    this.#to = value == null ? null : checkedAddress(value, "to");
  }

  get value(): bigint {
    return this.#value;
  }
  set value(value: BigNumberish) {
    this.#value = nonNegative(value, "value");
  }

  get data(): string {
    return this.#data;
  }
  set data(value: BytesLike) {
    try {
      this.#data = hexlify(value);
    } catch (error) {
      throw invalid(`data must be bytes or 0x hex of whole bytes`, error);
    }
  }

  /** null: no EIP-155 replay protection. */
  get chainId(): bigint | null {
    return this.#chainId;
  }
  set chainId(value: BigNumberish | null | undefined) {
    if (value == null) {
      this.#chainId = null;
      return;
    }
    const chainId = nonNegative(value, "chainId");
    // v = 35 + 2·chainId + recId must exceed 36 for Besu to read a chain ID back out of it.
    if (chainId === 0n)
      throw new PrivateTransactionError(SdkErrorCode.UnsupportedV, "chainId 0 cannot be encoded in v; use null");
    this.#chainId = chainId;
  }

  get privateFrom(): string | null {
    return this.#privateFrom;
  }
  set privateFrom(value: string | null | undefined) {
    if (value != null) parseTesseraKey(value); // throws InvalidTesseraKeyError
    this.#privateFrom = value ?? null;
  }

  get privateFor(): string[] | null {
    return this.#privateFor === null ? null : [...this.#privateFor];
  }
  set privateFor(value: readonly string[] | null | undefined) {
    if (value == null) {
      this.#privateFor = null;
      return;
    }
    if (this.#privacyGroupId !== null) throw ambiguousRecipients();
    value.forEach((key) => parseTesseraKey(key));
    this.#privateFor = [...value];
  }

  get privacyGroupId(): string | null {
    return this.#privacyGroupId;
  }
  set privacyGroupId(value: string | null | undefined) {
    if (value == null) {
      this.#privacyGroupId = null;
      return;
    }
    if (this.#privateFor !== null) throw ambiguousRecipients();
    parsePrivacyGroupId(value); // throws InvalidPrivacyGroupIdError
    this.#privacyGroupId = value;
  }

  get restriction(): Restriction {
    return this.#restriction;
  }
  set restriction(value: Restriction) {
    if (value !== "restricted" && value !== "unrestricted") {
      throw new PrivateTransactionError(
        SdkErrorCode.UnknownRestriction,
        `restriction must be "restricted" or "unrestricted", got ${JSON.stringify(value)}`,
      );
    }
    this.#restriction = value;
  }

  get signature(): Signature | null {
    return this.#signature;
  }
  set signature(value: SignatureLike | null | undefined) {
    if (value == null) {
      this.#signature = null;
      return;
    }
    try {
      this.#signature = Signature.from(value);
    } catch (error) {
      throw invalid("signature is not a valid secp256k1 signature", error);
    }
  }

  isSigned(): this is PrivateTransaction & { signature: Signature } {
    return this.#signature !== null;
  }

  /** The RLP that is hashed for signing (EIP-155 adds chainId, 0, 0 in place of v, r, s). */
  get unsignedSerialized(): string {
    const eip155 = this.#chainId === null ? [] : [toBeArray(this.#chainId), "0x", "0x"];
    return encodeRlp([...this.#head(), ...eip155, ...this.#tail()]);
  }

  /** keccak256 of `unsignedSerialized`: the digest the sender signs. */
  get unsignedHash(): string {
    return keccak256(this.unsignedSerialized);
  }

  /** The signed RLP that eea_sendRawTransaction and priv_distributeRawTransaction take. */
  get serialized(): string {
    const signature = this.#requireSignature();
    const recId = BigInt(signature.yParity);
    const v = this.#chainId === null ? V_WITHOUT_CHAIN_ID + recId : V_EIP155_OFFSET + 2n * this.#chainId + recId;
    return encodeRlp([...this.#head(), toBeArray(v), toBeArray(signature.r), toBeArray(signature.s), ...this.#tail()]);
  }

  /** The private transaction's own hash, keccak256(serialized). Besu keys nothing public by it: see `markerHash` of a receipt. */
  get hash(): string {
    return keccak256(this.serialized);
  }

  /** The signer's address, recovered from the signature; null when unsigned. */
  get from(): string | null {
    return this.fromPublicKey === null ? null : computeAddress(this.fromPublicKey);
  }

  /** The signer's uncompressed public key; null when unsigned. */
  get fromPublicKey(): string | null {
    return this.#signature === null ? null : SigningKey.recoverPublicKey(this.unsignedHash, this.#signature);
  }

  clone(): PrivateTransaction {
    return PrivateTransaction.from(this.toJSON());
  }

  toJSON(): PrivateTransactionLike {
    return {
      nonce: this.#nonce,
      gasPrice: this.#gasPrice,
      gasLimit: this.#gasLimit,
      to: this.#to,
      value: this.#value,
      data: this.#data,
      chainId: this.#chainId,
      privateFrom: this.#privateFrom ?? undefined,
      privateFor: this.privateFor,
      privacyGroupId: this.#privacyGroupId,
      restriction: this.#restriction,
      signature: this.#signature === null ? null : this.#signature.serialized,
    };
  }

  /** Builds a transaction from fields, or parses a signed RLP hex string the way Besu's decoder does. */
  static from(source?: string | PrivateTransactionLike): PrivateTransaction {
    if (typeof source === "string") return parseSerialized(source);
    const tx = new PrivateTransaction();
    if (source === undefined) return tx;
    if (source.privateFor != null && source.privacyGroupId != null) throw ambiguousRecipients();
    if (source.nonce != null) tx.nonce = source.nonce;
    if (source.gasPrice != null) tx.gasPrice = source.gasPrice;
    if (source.gasLimit != null) tx.gasLimit = source.gasLimit;
    tx.to = source.to;
    if (source.value != null) tx.value = source.value;
    if (source.data != null) tx.data = source.data;
    tx.chainId = source.chainId;
    tx.privateFrom = source.privateFrom;
    tx.privateFor = source.privateFor;
    tx.privacyGroupId = source.privacyGroupId;
    if (source.restriction != null) tx.restriction = source.restriction;
    tx.signature = source.signature;
    return tx;
  }

  #head(): (string | Uint8Array)[] {
    return [
      toBeArray(this.#nonce),
      toBeArray(this.#gasPrice),
      toBeArray(this.#gasLimit),
      this.#to ?? "0x",
      toBeArray(this.#value),
      this.#data,
    ];
  }

  #tail(): (string | Uint8Array | Uint8Array[])[] {
    if (this.#privateFrom === null) {
      throw new PrivateTransactionError(
        SdkErrorCode.RecipientsMissing,
        "privateFrom (the sender's enclave key) is not set",
      );
    }
    let recipients: Uint8Array | Uint8Array[];
    if (this.#privacyGroupId !== null) recipients = parsePrivacyGroupId(this.#privacyGroupId);
    else if (this.#privateFor !== null) recipients = this.#privateFor.map(parseTesseraKey);
    else
      throw new PrivateTransactionError(
        SdkErrorCode.RecipientsMissing,
        "set privacyGroupId (or privateFor for a legacy group)",
      );
    return [parseTesseraKey(this.#privateFrom), recipients, toUtf8Bytes(this.#restriction)];
  }

  #requireSignature(): Signature {
    if (this.#signature === null)
      throw new PrivateTransactionError(SdkErrorCode.NotSigned, "the transaction is not signed");
    return this.#signature;
  }
}

/** Reads the 12-item list with Besu's rules: minimal scalars, 20-byte or empty `to`, a list or a 32-byte group ID. */
function parseSerialized(serialized: string): PrivateTransaction {
  const hex = serialized.startsWith("0x") ? serialized : `0x${serialized}`;
  if (!isHexString(hex)) throw malformed("not hex of whole bytes");
  let items: ReturnType<typeof decodeRlp>;
  try {
    items = decodeRlp(hex);
  } catch (error) {
    throw malformed("not valid RLP", error);
  }
  if (!Array.isArray(items) || items.length !== 12) {
    throw malformed(
      `expected an RLP list of 12 items, got ${Array.isArray(items) ? `${items.length} items` : "a string"}`,
    );
  }
  const [nonce, gasPrice, gasLimit, to, value, data, v, r, s, privateFrom, recipients, restriction] = items;
  const text = (item: unknown, name: string): string => {
    if (typeof item !== "string") throw malformed(`${name} must be a byte string, got a list`);
    return item;
  };

  const tx = new PrivateTransaction();
  tx.nonce = scalar(text(nonce, "nonce"), "nonce");
  tx.gasPrice = scalar(text(gasPrice, "gasPrice"), "gasPrice");
  tx.gasLimit = scalar(text(gasLimit, "gasLimit"), "gasLimit");
  const toHex = text(to, "to");
  if (toHex !== "0x" && toHex.length !== 42)
    throw invalid(`to must be 20 bytes or empty, got ${(toHex.length - 2) / 2} bytes`);
  tx.to = toHex === "0x" ? null : toHex;
  tx.value = scalar(text(value, "value"), "value");
  tx.data = text(data, "data");
  tx.privateFrom = bytesToTesseraKey(text(privateFrom, "privateFrom"));
  if (Array.isArray(recipients)) {
    tx.privateFor = recipients.map((key, index) => bytesToTesseraKey(text(key, `privateFor[${index}]`)));
  } else {
    const groupId = toBytes(recipients);
    tx.privacyGroupId = encodeBase64(groupId); // 32 bytes, or InvalidPrivacyGroupIdError
  }
  tx.restriction = restrictionOf(text(restriction, "restriction"));

  const { chainId, yParity } = splitV(scalar(text(v, "v"), "v"));
  tx.chainId = chainId;
  tx.signature = Signature.from({
    r: zeroPad32(scalar(text(r, "r"), "r")),
    s: zeroPad32(scalar(text(s, "s"), "s")),
    yParity,
  });
  return tx;
}

/** Besu: v 27/28 = no chain ID; v > 36 = EIP-155; anything else is "an unsupported encoded 'v' value". */
function splitV(v: bigint): { chainId: bigint | null; yParity: 0 | 1 } {
  if (v === V_WITHOUT_CHAIN_ID || v === V_WITHOUT_CHAIN_ID + 1n)
    return { chainId: null, yParity: Number(v - V_WITHOUT_CHAIN_ID) as 0 | 1 };
  if (v > V_EIP155_OFFSET + 1n) {
    const chainId = (v - V_EIP155_OFFSET) / 2n;
    return { chainId, yParity: Number(v - V_EIP155_OFFSET - 2n * chainId) as 0 | 1 };
  }
  throw new PrivateTransactionError(
    SdkErrorCode.UnsupportedV,
    `unsupported v value ${v}: Besu accepts 27, 28 or 35 + 2·chainId + {0, 1} with chainId >= 1`,
  );
}

function restrictionOf(hex: string): Restriction {
  let text: string;
  try {
    text = toUtf8String(hex);
  } catch {
    text = hex;
  }
  if (text === "restricted" || text === "unrestricted") return text;
  throw new PrivateTransactionError(
    SdkErrorCode.UnknownRestriction,
    `restriction must be "restricted" or "unrestricted", got ${JSON.stringify(text)}`,
  );
}

/** A minimal big-endian RLP scalar: "0x" is zero, and a leading zero byte is refused as Besu does. */
function scalar(hex: string, name: string): bigint {
  if (hex === "0x") return 0n;
  if (hex.startsWith("0x00")) {
    throw new PrivateTransactionError(
      SdkErrorCode.LeadingZero,
      `${name} has a leading zero byte (${hex}); RLP scalars must be minimal`,
    );
  }
  return BigInt(hex);
}

function zeroPad32(value: bigint): string {
  return "0x" + value.toString(16).padStart(64, "0");
}

function nonNegative(value: BigNumberish, name: string): bigint {
  let parsed: bigint;
  try {
    parsed = getBigInt(value, name);
  } catch (error) {
    throw invalid(`${name} must be an integer, got ${String(value)}`, error);
  }
  if (parsed < 0n) throw invalid(`${name} must not be negative, got ${parsed}`);
  return parsed;
}

function checkedAddress(value: string, name: string): string {
  try {
    return getAddress(value);
  } catch (error) {
    throw invalid(`${name} must be a 20-byte address, got ${JSON.stringify(value)}`, error);
  }
}

function toBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex.slice(2), "hex"));
}

function ambiguousRecipients(): PrivateTransactionError {
  return new PrivateTransactionError(
    SdkErrorCode.RecipientsAmbiguous,
    "privateFor and privacyGroupId are mutually exclusive: set one",
  );
}

function invalid(message: string, cause?: unknown): PrivateTransactionError {
  return new PrivateTransactionError(SdkErrorCode.InvalidField, message, { cause });
}

function malformed(message: string, cause?: unknown): PrivateTransactionError {
  return new PrivateTransactionError(
    SdkErrorCode.MalformedTransaction,
    `cannot decode the private transaction: ${message}`,
    { cause },
  );
}
