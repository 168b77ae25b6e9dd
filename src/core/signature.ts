/**
 * A secp256k1 signature of a private transaction's digest, read from the forms ethers' Signature.from reads
 * (65-byte r‖s‖v, 64-byte EIP-2098 compact, an object with r and s or yParityAndS and v or yParity: an
 * ethers Signature and a viem Signature are both such objects), and recovered with @noble/curves.
 */
import { secp256k1 } from "@noble/curves/secp256k1";
import { type BigNumberish, isHexBytes, paddedHex, toBigInt, toBytes, toHex } from "./bytes";

/** A signature as the codec holds it: r and s as 32-byte hex, the recovery bit, v = 27 + yParity, r‖s‖v. */
export interface PrivateSignature {
  readonly r: string;
  readonly s: string;
  readonly yParity: 0 | 1;
  readonly v: 27 | 28;
  /** r‖s‖v, 65 bytes: what ethers' Signature.serialized gives. */
  readonly serialized: string;
}

/** Anything `parseSignature` reads. */
export type SignatureLike =
  | string
  | {
      r: string;
      s?: string;
      /** EIP-2098: the recovery bit in the top bit of s. */
      yParityAndS?: string;
      yParity?: number;
      /** 27/28, 0/1, or EIP-155's 35 + 2·chainId + yParity. */
      v?: BigNumberish;
    };

const TOP_BIT = 1n << 255n;

/** The recovery bit a v encodes, as ethers reads v (27/28, 0/1, or EIP-155's 35 + 2·chainId + bit). */
function parityOfV(v: BigNumberish): 0 | 1 {
  const value = toBigInt(v);
  if (value === 0n || value === 27n) return 0;
  if (value === 1n || value === 28n) return 1;
  if (value >= 35n) return Number((value - 35n) % 2n) as 0 | 1;
  throw new TypeError(`v ${value} encodes no recovery bit`);
}

function word(hex: unknown, name: string): bigint {
  if (!isHexBytes(hex) || hex.length !== 66) throw new TypeError(`${name} must be 32 bytes of 0x hex`);
  return BigInt(hex);
}

function build(r: bigint, s: bigint, yParity: 0 | 1): PrivateSignature {
  // ethers refuses an s with its top bit set: it could not be told apart from an EIP-2098 compact signature.
  if (s >= TOP_BIT) throw new TypeError("s is not canonical (its top bit is set)");
  const v = (27 + yParity) as 27 | 28;
  const [rHex, sHex] = [paddedHex(r, 32), paddedHex(s, 32)];
  return Object.freeze({ r: rHex, s: sHex, yParity, v, serialized: `${rHex}${sHex.slice(2)}${v.toString(16)}` });
}

function fromCompact(r: bigint, yParityAndS: bigint): PrivateSignature {
  return build(r, yParityAndS & (TOP_BIT - 1n), yParityAndS >= TOP_BIT ? 1 : 0);
}

/** A signature from any SignatureLike; a TypeError naming what is wrong otherwise. */
export function parseSignature(value: SignatureLike): PrivateSignature {
  if (typeof value === "string") {
    const bytes = toBytes(value);
    if (bytes.length !== 64 && bytes.length !== 65) throw new TypeError(`a signature is 64 or 65 bytes, got ${bytes.length}`);
    const r = BigInt(toHex(bytes.subarray(0, 32)));
    const rest = BigInt(toHex(bytes.subarray(32, 64)));
    return bytes.length === 64 ? fromCompact(r, rest) : build(r, rest, parityOfV(bytes[64]));
  }
  if (typeof value !== "object" || value === null) throw new TypeError("a signature is hex or an object");
  const r = word(value.r, "r");
  const compact = value.yParityAndS === undefined ? undefined : fromCompact(r, word(value.yParityAndS, "yParityAndS"));
  const s = value.s === undefined ? compact?.s : value.s;
  if (s === undefined) throw new TypeError("a signature needs s or yParityAndS");
  const parities = [
    value.yParity === undefined ? undefined : parityOfV(value.yParity),
    value.v === undefined ? undefined : parityOfV(value.v),
    compact?.yParity,
  ].filter((parity) => parity !== undefined);
  if (parities.length === 0) throw new TypeError("a signature needs v, yParity or yParityAndS");
  if (parities.some((parity) => parity !== parities[0])) throw new TypeError("v, yParity and yParityAndS disagree");
  const signature = build(r, word(s, "s"), parities[0]);
  if (compact !== undefined && compact.s !== signature.s) throw new TypeError("s and yParityAndS disagree");
  return signature;
}

/** The uncompressed public key (0x04‖x‖y) that made `signature` over the 32-byte `digest`; throws if none. */
export function recoverPublicKey(digest: string, signature: Pick<PrivateSignature, "r" | "s" | "yParity">): string {
  const point = new secp256k1.Signature(BigInt(signature.r), BigInt(signature.s))
    .addRecoveryBit(signature.yParity)
    .recoverPublicKey(toBytes(digest));
  return toHex(point.toRawBytes(false));
}
