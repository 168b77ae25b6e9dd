/**
 * The few byte, number, hash and address primitives the core needs, on @noble/hashes (the keccak ethers and
 * viem both use) so that neither client library is needed at run time: a viem project has no ethers, an
 * ethers project no viem. The shapes follow ethers' (0x hex strings, minimal big-endian quantities).
 */
import { keccak_256 } from "@noble/hashes/sha3";

/** A number as ethers' BigNumberish: a bigint, a safe integer, or a decimal or 0x hex string. */
export type BigNumberish = bigint | number | string;

/** Bytes as ethers' BytesLike: a Uint8Array or 0x hex of whole bytes. */
export type BytesLike = Uint8Array | string;

const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/;
const INTEGER = /^-?(?:0x[0-9a-fA-F]+|[0-9]+)$/;

/** True for 0x hex of whole bytes (any case). */
export function isHexBytes(value: unknown): value is string {
  return typeof value === "string" && HEX_BYTES.test(value);
}

/** 0x hex of whole bytes, or a Uint8Array, as bytes; a TypeError for anything else. */
export function toBytes(value: BytesLike): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (!isHexBytes(value)) throw new TypeError(`expected 0x hex of whole bytes, got ${String(value)}`);
  return Uint8Array.from(Buffer.from(value.slice(2), "hex"));
}

/** Lower-case 0x hex of bytes, or of 0x hex (checked and lower-cased). */
export function toHex(value: BytesLike): string {
  return `0x${Buffer.from(toBytes(value)).toString("hex")}`;
}

export function keccak256(data: BytesLike): string {
  return toHex(keccak_256(toBytes(data)));
}

/** A BigNumberish as a bigint; a TypeError for a fraction, an unsafe number, or a string that is not an integer. */
export function toBigInt(value: BigNumberish): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new TypeError(`${value} is not a safe integer`);
    return BigInt(value);
  }
  if (typeof value === "string" && INTEGER.test(value)) {
    return value.startsWith("-") ? -BigInt(value.slice(1)) : BigInt(value);
  }
  throw new TypeError(`${String(value)} is not an integer`);
}

/** A non-negative integer as minimal big-endian bytes (zero is no bytes), as RLP writes scalars. */
export function quantityBytes(value: bigint | number): Uint8Array {
  const big = BigInt(value);
  if (big < 0n) throw new RangeError(`${big} is negative`);
  if (big === 0n) return new Uint8Array();
  const hex = big.toString(16);
  return toBytes(`0x${hex.length % 2 === 0 ? hex : `0${hex}`}`);
}

/** A non-negative integer as 0x hex of exactly `bytes` bytes. */
export function paddedHex(value: bigint, bytes: number): string {
  return `0x${value.toString(16).padStart(bytes * 2, "0")}`;
}

/**
 * The EIP-55 checksummed form of a 20-byte address. A mixed-case address must already carry the right
 * checksum (a TypeError otherwise), as ethers' getAddress and viem's getAddress both require.
 */
export function checksumAddress(address: string): string {
  if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) {
    throw new TypeError(`${String(address)} is not a 20-byte 0x address`);
  }
  const lower = address.slice(2).toLowerCase();
  const hash = keccak256(Uint8Array.from(Buffer.from(lower, "latin1"))).slice(2);
  const checksummed = `0x${[...lower].map((c, i) => (parseInt(hash[i], 16) >= 8 ? c.toUpperCase() : c)).join("")}`;
  const body = address.slice(2);
  if (body !== lower && body !== body.toUpperCase() && checksummed !== address) {
    throw new TypeError(`${address} has a bad EIP-55 checksum`);
  }
  return checksummed;
}

/** The checksummed address of an uncompressed secp256k1 public key (65 bytes, 0x04 first). */
export function publicKeyToAddress(publicKey: BytesLike): string {
  return checksumAddress(`0x${keccak256(toBytes(publicKey).subarray(1)).slice(-40)}`);
}
