import { AbiCoder, concat, dataSlice, keccak256 } from "ethers";

/** Tessera key lengths: NaCl (Curve25519) and EC (DER-encoded P-256 public key). */
export const NACL_KEY_LENGTH = 32;
export const EC_KEY_LENGTH = 91;

/** A deterministic pseudo-random key (keccak-derived), as the gas anchor's method prescribes. */
export function pseudoRandomKey(label: string, index: number, length: number): string {
  const words: string[] = [];
  for (let word = 0; word * 32 < length; ++word) {
    words.push(keccak256(AbiCoder.defaultAbiCoder().encode(["string", "uint256", "uint256"], [label, index, word])));
  }
  return dataSlice(concat(words), 0, length);
}

export function pseudoRandomKeys(label: string, from: number, count: number, length: number): string[] {
  return Array.from({ length: count }, (_, i) => pseudoRandomKey(label, from + i, length));
}
