/**
 * RLP in the shapes the codec works in (ethers' shapes): items in as 0x hex or bytes, out as 0x hex. The
 * encoding itself is @ethereumjs/rlp's, which also refuses what Besu's reader refuses (a single byte below
 * 0x80 written long, lengths with leading zeros, trailing bytes).
 */
import { RLP } from "@ethereumjs/rlp";
import { type BytesLike, toBytes, toHex } from "./bytes";

/** An RLP item to encode: bytes (or 0x hex of bytes), or a list of items. */
export type RlpInput = BytesLike | readonly RlpInput[];

/** A decoded RLP item: a byte string as lower-case 0x hex, or a list of items. */
export type RlpHex = string | RlpHex[];

type Encodable = Uint8Array | Encodable[];

function encodable(item: RlpInput): Encodable {
  return Array.isArray(item) ? item.map(encodable) : toBytes(item as BytesLike);
}

/** The RLP of `item`, as 0x hex. */
export function encodeRlp(item: RlpInput): string {
  return toHex(RLP.encode(encodable(item)));
}

type Decoded = Uint8Array | Decoded[];

function hexTree(item: Decoded): RlpHex {
  return Array.isArray(item) ? item.map(hexTree) : toHex(item);
}

/** Decodes one RLP item that spans all of `data`; throws (the library's error) on anything else. */
export function decodeRlp(data: BytesLike): RlpHex {
  return hexTree(RLP.decode(toBytes(data)) as Decoded);
}
