import { randomBytes } from "node:crypto";
import { Signature, SigningKey, getBytes, keccak256 } from "ethers";
import { publicKeyToAddress } from "../../core/bytes";
import { nativeSecp256k1, nativeSign } from "../../core/secp256k1";
import { type PrivateSignature, recoverPublicKey } from "../../core/signature";

const native = nativeSecp256k1();

/**
 * The signer's address (lower case) of a 32-byte digest; throws if none can be recovered. Without the binding,
 * the core's recovery in JavaScript. (An ethers Signature has the fields it reads too.)
 */
export function recoverAddress(digest: string, signature: Pick<PrivateSignature, "r" | "s" | "yParity">): string {
  if (native === undefined) return publicKeyToAddress(recoverPublicKey(digest, signature)).toLowerCase();
  const publicKey = native.ecdsaRecover(getBytes(signature.r + signature.s.slice(2)), signature.yParity, getBytes(digest), false);
  return "0x" + keccak256(publicKey.subarray(1)).slice(-40);
}

/** Signs a 32-byte digest with a fresh random key, as Besu signs each marker without a signing-key file. */
export function signWithFreshKey(digest: string): Signature {
  if (native === undefined) return new SigningKey(randomBytes(32)).sign(digest);
  let key = randomBytes(32);
  while (!native.privateKeyVerify(key)) key = randomBytes(32);
  return Signature.from(nativeSign(native, getBytes(digest), key));
}
