import {
  type BigNumberish,
  type BytesLike,
  checksumAddress,
  isHexBytes,
  keccak256,
  paddedHex,
  publicKeyToAddress,
  quantityBytes,
  toBigInt,
  toBytes,
  toHex,
} from "./bytes";
import { type RlpHex, type RlpInput, decodeRlp, encodeRlp } from "./rlp";
import { type PrivateSignature, type SignatureLike, parseSignature, recoverPublicKey } from "./signature";
import { PrivacySdkError, SdkErrorCode } from "./errors";
import { parsePrivacyGroupId } from "./ids";
import { encodeBase64, parseTesseraKey } from "./keys";

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
  #signature: PrivateSignature | null = null;

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
      this.#data = toHex(value);
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

  get signature(): PrivateSignature | null {
    return this.#signature;
  }
  set signature(value: SignatureLike | null | undefined) {
    if (value == null) {
      this.#signature = null;
      return;
    }
    try {
      this.#signature = parseSignature(value);
    } catch (error) {
      throw invalid("signature is not a valid secp256k1 signature", error);
    }
  }

  isSigned(): this is PrivateTransaction & { signature: PrivateSignature } {
    return this.#signature !== null;
  }

  /** The RLP that is hashed for signing (EIP-155 adds chainId, 0, 0 in place of v, r, s). */
  get unsignedSerialized(): string {
    return encodeRlp(unsignedItems(this.#head(), this.#chainId, this.#tail()));
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
    const [r, s] = [BigInt(signature.r), BigInt(signature.s)];
    return encodeRlp([...this.#head(), quantityBytes(v), quantityBytes(r), quantityBytes(s), ...this.#tail()]);
  }

  /** The private transaction's own hash, keccak256(serialized). Besu keys nothing public by it: see `markerHash` of a receipt. */
  get hash(): string {
    return keccak256(this.serialized);
  }

  /** The signer's address, recovered from the signature; null when unsigned. */
  get from(): string | null {
    return this.fromPublicKey === null ? null : publicKeyToAddress(this.fromPublicKey);
  }

  /** The signer's uncompressed public key; null when unsigned. */
  get fromPublicKey(): string | null {
    return this.#signature === null ? null : recoverPublicKey(this.unsignedHash, this.#signature);
  }

  /** A copy of the same class (the ethers client's subclass stays itself). */
  clone(): this {
    return (this.constructor as typeof PrivateTransaction).from(this.toJSON()) as this;
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
  static from<T extends PrivateTransaction>(this: new () => T, source?: string | PrivateTransactionLike): T {
    const tx = new this();
    if (typeof source === "string") return fromDecoded(decodePrivateTransaction(source), tx);
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
      quantityBytes(this.#nonce),
      quantityBytes(this.#gasPrice),
      quantityBytes(this.#gasLimit),
      this.#to ?? "0x",
      quantityBytes(this.#value),
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
    return [parseTesseraKey(this.#privateFrom), recipients, new TextEncoder().encode(this.#restriction)];
  }

  #requireSignature(): PrivateSignature {
    if (this.#signature === null)
      throw new PrivateTransactionError(SdkErrorCode.NotSigned, "the transaction is not signed");
    return this.#signature;
  }
}

/** The strict reading: Besu's decode, then every field through the setters (keys, IDs, restriction). */
function fromDecoded<T extends PrivateTransaction>(decoded: DecodedPrivateTransaction, tx: T): T {
  tx.nonce = decoded.nonce;
  tx.gasPrice = decoded.gasPrice;
  tx.gasLimit = decoded.gasLimit;
  tx.to = decoded.to;
  tx.value = decoded.value;
  tx.data = decoded.data;
  tx.privateFrom = decoded.privateFrom;
  tx.privateFor = decoded.privateFor;
  tx.privacyGroupId = decoded.privacyGroupId;
  if (decoded.restriction === "unsupported") {
    throw new PrivateTransactionError(
      SdkErrorCode.UnknownRestriction,
      `restriction must be "restricted" or "unrestricted"`,
    );
  }
  tx.restriction = decoded.restriction;
  tx.chainId = decoded.chainId ?? null;
  tx.signature = signatureOf(decoded);
  return tx;
}

/**
 * A private transaction as Besu 25.5's PrivateTransaction.readFrom reads it: the shape is checked (12 items,
 * minimal scalars, 20-byte or empty `to`, a 32-byte group ID or a list of keys, r and s in range, a supported
 * v), the content is not (a key of any length, any restriction). Scalars are bigints, bytes lower-case hex,
 * keys and group IDs base64.
 */
export interface DecodedPrivateTransaction {
  nonce: bigint;
  gasPrice: bigint;
  gasLimit: bigint;
  /** null: a contract creation. */
  to: string | null;
  value: bigint;
  data: string;
  v: bigint;
  r: bigint;
  s: bigint;
  yParity: 0 | 1;
  /** Absent when v is 27/28 (no EIP-155). */
  chainId?: bigint;
  privateFrom: string;
  privacyGroupId?: string;
  privateFor?: string[];
  restriction: Restriction | "unsupported";
  /** The signed RLP, lower-case 0x hex. */
  raw: string;
  /** keccak256 of the unsigned RLP: the digest the sender signed. */
  signingHash: string;
}

const SECP256K1_N = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

/**
 * Decodes a signed private transaction (0x optional). Throws a PrivateTransactionError whose code names
 * the fault (MalformedTransaction, LeadingZero, InvalidField, UnsupportedV), or InvalidPrivacyGroupIdError
 * for a group ID that is not 32 bytes. v is checked last: Besu refuses it outside its decode path.
 */
export function decodePrivateTransaction(serialized: string): DecodedPrivateTransaction {
  const raw = "0x" + (/^0x/i.test(serialized) ? serialized.slice(2) : serialized).toLowerCase();
  if (!isHexBytes(raw)) throw malformed("not hex of whole bytes");
  let items: RlpHex;
  try {
    items = decodeRlp(raw);
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
  const toHex = text(to, "to");
  if (toHex !== "0x" && toHex.length !== 42)
    throw invalid(`to must be 20 bytes or empty, got ${(toHex.length - 2) / 2} bytes`);
  const signature = { r: scalar(text(r, "r"), "r"), s: scalar(text(s, "s"), "s") };
  if (![signature.r, signature.s].every((part) => part > 0n && part < SECP256K1_N))
    throw invalid("signature r and s must be between 1 and the secp256k1 order");
  const decoded: Omit<DecodedPrivateTransaction, "v" | "yParity" | "signingHash"> = {
    nonce: scalar(text(nonce, "nonce"), "nonce"),
    gasPrice: scalar(text(gasPrice, "gasPrice"), "gasPrice"),
    gasLimit: scalar(text(gasLimit, "gasLimit"), "gasLimit"),
    to: toHex === "0x" ? null : toHex,
    value: scalar(text(value, "value"), "value"),
    data: text(data, "data"),
    ...signature,
    privateFrom: base64Of(text(privateFrom, "privateFrom")),
    restriction: restrictionOf(text(restriction, "restriction")),
    raw,
  };
  if (Array.isArray(recipients)) {
    decoded.privateFor = recipients.map((key, index) => base64Of(text(key, `privateFor[${index}]`)));
  } else {
    decoded.privacyGroupId = base64Of(recipients);
    parsePrivacyGroupId(decoded.privacyGroupId); // 32 bytes, or InvalidPrivacyGroupIdError
  }
  const vValue = scalar(text(v, "v"), "v");
  const { chainId, yParity } = splitV(vValue);
  const signingHash = keccak256(encodeRlp(unsignedItems(items.slice(0, 6), chainId, items.slice(9))));
  return { ...decoded, v: vValue, yParity, ...(chainId === null ? {} : { chainId }), signingHash };
}

/** Recovers an address from a digest and a signature; the network passes its faster libsecp256k1 one. */
export type RecoverAddress = (digest: string, signature: PrivateSignature) => string;

const recoverInJavaScript: RecoverAddress = (digest, signature) => publicKeyToAddress(recoverPublicKey(digest, signature));

/** The signer's lower-case address; a PrivateTransactionError (InvalidSignature) when none can be recovered. */
export function recoverSigner(tx: DecodedPrivateTransaction, recover: RecoverAddress = recoverInJavaScript): string {
  try {
    return recover(tx.signingHash, parseSignature(signatureOf(tx))).toLowerCase();
  } catch (error) {
    throw new PrivateTransactionError(SdkErrorCode.InvalidSignature, "no signer can be recovered from the signature", {
      cause: error,
    });
  }
}

/**
 * Besu's Address.privateContractAddress: where a private contract creation lands, the last 20 bytes of
 * keccak256(RLP([sender, nonce, privacyGroupId])). Checksummed.
 */
export function getPrivateContractAddress(sender: string, nonce: BigNumberish, privacyGroupId: string): string {
  const rlp = encodeRlp([checksumAddress(sender), quantityBytes(toBigInt(nonce)), parsePrivacyGroupId(privacyGroupId)]);
  return checksumAddress(`0x${keccak256(rlp).slice(-40)}`);
}

/** What is signed: the signed list without v, r, s; EIP-155 puts chainId, 0, 0 in their place. */
function unsignedItems(head: RlpInput[], chainId: bigint | null, tail: RlpInput[]): RlpInput[] {
  return chainId === null ? [...head, ...tail] : [...head, quantityBytes(chainId), "0x", "0x", ...tail];
}

function signatureOf(tx: Pick<DecodedPrivateTransaction, "r" | "s" | "yParity">): SignatureLike {
  return { r: paddedHex(tx.r, 32), s: paddedHex(tx.s, 32), yParity: tx.yParity };
}

function base64Of(hex: string): string {
  return encodeBase64(toBytes(hex));
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

/** Besu reads the restriction's bytes as text; anything but its two names decodes as "unsupported". */
function restrictionOf(hex: string): DecodedPrivateTransaction["restriction"] {
  const text = Buffer.from(toBytes(hex)).toString("latin1");
  return text === "restricted" || text === "unrestricted" ? text : "unsupported";
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

function nonNegative(value: BigNumberish, name: string): bigint {
  let parsed: bigint;
  try {
    parsed = toBigInt(value);
  } catch (error) {
    throw invalid(`${name} must be an integer, got ${String(value)}`, error);
  }
  if (parsed < 0n) throw invalid(`${name} must not be negative, got ${parsed}`);
  return parsed;
}

function checkedAddress(value: string, name: string): string {
  try {
    return checksumAddress(value);
  } catch (error) {
    throw invalid(`${name} must be a 20-byte address, got ${JSON.stringify(value)}`, error);
  }
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

/**
 * What the enclave stores for a flexible group's private transaction (Besu's VersionedPrivateTransaction):
 * RLP([signed private transaction, the group's version when sent]).
 */
export function encodeVersionedPayload(raw: string, version: string): Uint8Array {
  return toBytes(encodeRlp([raw, version]));
}

/** The signed transaction and the version of a VersionedPrivateTransaction; throws on anything else. */
export function decodeVersionedPayload(payload: Uint8Array): { raw: string; version: string } {
  const items = decodeRlp(payload);
  if (!Array.isArray(items) || items.length !== 2 || typeof items[0] !== "string" || typeof items[1] !== "string") {
    throw new PrivateTransactionError(SdkErrorCode.MalformedTransaction, "a versioned payload is RLP([transaction, version])");
  }
  return { raw: items[0], version: items[1] };
}

/** One transaction of a group's add blob: the signed transaction, its marker hash and the private state root after it. */
export interface AddBlobEntry {
  raw: string;
  markerHash: string;
  stateRoot: string;
}

/** The blob Besu sends a member being added: RLP of [transaction, marker hash, state root] per transaction. */
export function encodeAddBlob(entries: readonly AddBlobEntry[]): Uint8Array {
  return toBytes(encodeRlp(entries.map((entry) => [entry.raw, entry.markerHash, entry.stateRoot])));
}

/** An add blob's entries; throws on anything that is not such a list. */
export function decodeAddBlob(blob: Uint8Array): AddBlobEntry[] {
  const items = decodeRlp(blob);
  if (!Array.isArray(items) || !items.every((item) => Array.isArray(item) && item.length === 3 && item.every((field) => typeof field === "string"))) {
    throw new PrivateTransactionError(SdkErrorCode.MalformedTransaction, "an add blob is RLP of [transaction, marker hash, state root] lists");
  }
  return (items as string[][]).map(([raw, markerHash, stateRoot]) => ({ raw, markerHash, stateRoot }));
}
