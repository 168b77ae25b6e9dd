import { Signature, decodeRlp, encodeRlp, getBytes, hexlify, keccak256, toBeHex } from "ethers";
import { Errors, RpcError } from "../rpc/errors";
import { recoverAddress } from "./signatures";

/**
 * A private transaction as Besu 25.5 reads it (PrivateTransaction.readFrom): one RLP list of
 * [nonce, gasPrice, gasLimit, to, value, data, v, r, s, privateFrom, privacyGroupId | privateFor[], restriction].
 */
export interface PrivateTransaction {
  nonce: bigint;
  gasPrice: bigint;
  gasLimit: bigint;
  /** Lower-case 0x address, or null for a contract creation. */
  to: string | null;
  value: bigint;
  data: string;
  v: bigint;
  r: bigint;
  s: bigint;
  privateFrom: string;
  privacyGroupId?: string;
  privateFor?: string[];
  restriction: "restricted" | "unrestricted" | "unsupported";
  /** Present when v is EIP-155 encoded. */
  chainId?: bigint;
  /** The signed RLP, 0x hex. */
  raw: string;
}

const SECP256K1_N = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

/** Decodes the signed RLP; a malformed list is Besu's DECODE_ERROR, an unsupported v its ENCLAVE_ERROR. */
export function decodePrivateTransaction(rawHex: string): PrivateTransaction {
  const raw = rawHex.startsWith("0x") || rawHex.startsWith("0X") ? "0x" + rawHex.slice(2) : "0x" + rawHex;
  let items: unknown;
  try {
    items = decodeRlp(raw);
  } catch {
    throw Errors.decode();
  }
  if (!Array.isArray(items) || items.length !== 12) throw Errors.decode();
  const list = items as unknown[];
  const bytesAt = (index: number): string => {
    const item = list[index];
    if (typeof item !== "string") throw Errors.decode();
    return item;
  };
  const scalarAt = (index: number): bigint => {
    const item = bytesAt(index);
    if (item.startsWith("0x00")) throw Errors.decode(); // "Invalid scalar, has leading zeros bytes"
    return item === "0x" ? 0n : BigInt(item);
  };
  const to = bytesAt(3);
  if (to !== "0x" && to.length !== 42) throw Errors.decode();
  const v = scalarAt(6);
  const r = scalarAt(7);
  const s = scalarAt(8);
  if (r === 0n || s === 0n || r >= SECP256K1_N || s >= SECP256K1_N) throw Errors.decode();
  const privateFrom = bytesAt(9);
  const groupOrFor = list[10];
  const restrictionBytes = bytesAt(11);
  const tx: PrivateTransaction = {
    nonce: scalarAt(0),
    gasPrice: scalarAt(1),
    gasLimit: scalarAt(2),
    to: to === "0x" ? null : to.toLowerCase(),
    value: scalarAt(4),
    data: bytesAt(5).toLowerCase(),
    v,
    r,
    s,
    privateFrom: Buffer.from(getBytes(privateFrom)).toString("base64"),
    restriction: restrictionOf(restrictionBytes),
    raw: raw.toLowerCase(),
  };
  if (typeof groupOrFor === "string") {
    if (getBytes(groupOrFor).length !== 32) throw Errors.decode();
    tx.privacyGroupId = Buffer.from(getBytes(groupOrFor)).toString("base64");
  } else if (Array.isArray(groupOrFor) && groupOrFor.every((key) => typeof key === "string")) {
    tx.privateFor = (groupOrFor as string[]).map((key) => Buffer.from(getBytes(key)).toString("base64"));
  } else {
    throw Errors.decode();
  }
  if (v === 27n || v === 28n) return tx;
  if (v > 36n) return { ...tx, chainId: (v - 35n) / 2n };
  // Besu throws "An unsupported encoded 'v' value" outside its decode path: ENCLAVE_ERROR.
  throw Errors.enclave();
}

function restrictionOf(bytes: string): PrivateTransaction["restriction"] {
  const text = Buffer.from(getBytes(bytes)).toString("latin1");
  return text === "restricted" || text === "unrestricted" ? text : "unsupported";
}

/** Recovered signers by signed RLP: each node and the RPC check recover the same transaction, and recovery is slow. */
const senders = new Map<string, string>();
const SENDER_CACHE_SIZE = 10_000;

/** The signer's address, or Besu's INVALID_TRANSACTION_SIGNATURE if none can be recovered. */
export function recoverSender(tx: PrivateTransaction): string {
  const cached = senders.get(tx.raw);
  if (cached !== undefined) return cached;
  const sender = recoverUncached(tx);
  if (senders.size >= SENDER_CACHE_SIZE) senders.delete(senders.keys().next().value!);
  senders.set(tx.raw, sender);
  return sender;
}

function recoverUncached(tx: PrivateTransaction): string {
  const items = decodeRlp(tx.raw) as unknown[];
  const unsigned = [...items.slice(0, 6), ...items.slice(9)];
  if (tx.chainId !== undefined) unsigned.splice(6, 0, toMinimalHex(tx.chainId), "0x", "0x");
  const digest = keccak256(encodeRlp(unsigned as string[]));
  const recoveryBit = tx.chainId === undefined ? Number(tx.v - 27n) : Number((tx.v - 35n) % 2n);
  try {
    const signature = Signature.from({ r: toBeHex(tx.r, 32), s: toBeHex(tx.s, 32), v: 27 + recoveryBit });
    return recoverAddress(digest, signature);
  } catch (cause) {
    if (cause instanceof RpcError) throw cause;
    throw Errors.invalidSignature();
  }
}

/** keccak256 of the signed RLP: the private transaction's own hash (Besu exposes it nowhere). */
export function privateTransactionHash(tx: PrivateTransaction): string {
  return keccak256(tx.raw);
}

export function toMinimalHex(value: bigint): string {
  return value === 0n ? "0x" : hexlify(toBeHex(value));
}

/** Besu's Quantity: 0x-prefixed, no leading zeros, "0x0" for zero. */
export function quantity(value: bigint | number): string {
  return "0x" + value.toString(16);
}
