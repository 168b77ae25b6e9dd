import { Signature, type SignatureLike } from "ethers";
import { PrivateTransaction as CorePrivateTransaction, type PrivateTransactionLike as CoreLike } from "../core/codec";

/** The fields of a private transaction, as `PrivateTransaction.from` takes them; a signature as ethers reads one. */
export interface PrivateTransactionLike extends Omit<CoreLike, "signature"> {
  signature?: SignatureLike | null;
}

/**
 * The ethers client's private transaction: the core codec's class (src/core/codec.ts, the one encoding),
 * whose signature reads back as an ethers Signature. The core holds a plain signature so that it runs
 * without ethers (the viem entry point).
 */
export class PrivateTransaction extends CorePrivateTransaction {
  override get signature(): Signature | null {
    const signature = super.signature;
    return signature === null ? null : Signature.from(signature);
  }
  override set signature(value: SignatureLike | null | undefined) {
    super.signature = value;
  }

  override isSigned(): this is PrivateTransaction & { signature: Signature } {
    return super.isSigned();
  }
}
