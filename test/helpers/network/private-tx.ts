import { SigningKey, encodeRlp, type BytesLike } from "ethers";
import { PrivateTransaction, type Restriction } from "../../../src/core/codec";

/** The fields of a private transaction a test signs; the encoding is the client's (src/core/codec.ts). */
export interface TestPrivateTx {
  nonce: bigint | number;
  gasPrice?: bigint | number;
  gasLimit?: bigint | number;
  to: string | null;
  value?: bigint | number;
  data: string;
  privateFrom: string;
  privacyGroupId?: string;
  privateFor?: string[];
  restriction?: Restriction;
  /** undefined: no chain id (v = 27/28), as Besu's acceptance tests sign. */
  chainId?: bigint | number;
}

/** Signs with the client's codec (src/core/codec.ts), as Besu's PrivateTransaction signs. */
export function signPrivateTx(tx: TestPrivateTx, privateKey: string): string {
  const unsigned = PrivateTransaction.from({
    ...tx,
    gasPrice: tx.gasPrice ?? 0,
    gasLimit: tx.gasLimit ?? 3_000_000,
    value: tx.value ?? 0,
    chainId: tx.chainId ?? null,
    restriction: tx.restriction ?? "restricted",
  });
  unsigned.signature = new SigningKey(privateKey).sign(unsigned.unsignedHash);
  return unsigned.serialized;
}

/** Encodes raw RLP items (for malformed transactions in tests). */
export function encodeItems(items: unknown[]): string {
  return encodeRlp(items as BytesLike[]);
}
