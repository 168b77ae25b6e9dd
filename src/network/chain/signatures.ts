import { randomBytes } from "node:crypto";
import { Signature, SigningKey, computeAddress, getBytes, hexlify, keccak256 } from "ethers";

/** The two calls we need from libsecp256k1's Node binding (the `secp256k1` package). */
interface NativeSecp256k1 {
  ecdsaRecover(signature: Uint8Array, recoveryId: number, digest: Uint8Array, compressed: false): Uint8Array;
  ecdsaSign(digest: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number };
  privateKeyVerify(key: Uint8Array): boolean;
}

/**
 * libsecp256k1 when its binding loads (Hardhat's toolchain installs the `secp256k1` package with a
 * prebuilt binary): recovery takes ~0.2 ms there against ~8 ms in ethers' pure JS, and every private
 * transaction needs one recovery and one marker signature. Both give the same results (RFC 6979
 * signatures, low s), so without the binding everything works the same, only slower.
 */
function loadNative(): NativeSecp256k1 | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("secp256k1/bindings") as NativeSecp256k1;
  } catch {
    return undefined;
  }
}

const native = loadNative();

/** The signer's address (lower case) of a 32-byte digest; throws if none can be recovered. */
export function recoverAddress(digest: string, signature: Signature): string {
  if (native === undefined) return computeAddress(SigningKey.recoverPublicKey(digest, signature)).toLowerCase();
  const publicKey = native.ecdsaRecover(getBytes(signature.r + signature.s.slice(2)), signature.yParity, getBytes(digest), false);
  return "0x" + keccak256(publicKey.subarray(1)).slice(-40);
}

/** Signs a 32-byte digest with a fresh random key, as Besu signs each marker without a signing-key file. */
export function signWithFreshKey(digest: string): Signature {
  if (native === undefined) return new SigningKey(randomBytes(32)).sign(digest);
  let key = randomBytes(32);
  while (!native.privateKeyVerify(key)) key = randomBytes(32);
  const { signature, recid } = native.ecdsaSign(getBytes(digest), key);
  return Signature.from({ r: hexlify(signature.subarray(0, 32)), s: hexlify(signature.subarray(32)), v: 27 + recid });
}
