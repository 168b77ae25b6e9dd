import { checksumAddress } from "./bytes";

/** priv_getPrivateTransaction's result, read once for both clients: Besu's field names, numbers as bigints. */
export interface PrivateTransactionFields {
  from: string;
  to: string | null;
  nonce: number;
  gas: bigint;
  gasPrice: bigint;
  input: string;
  value: bigint;
  v: bigint;
  r: bigint;
  s: bigint;
  privateFrom: string;
  privacyGroupId: string | null;
  privateFor: string[] | null;
  restriction: string;
}

/** The fields of a priv_getPrivateTransaction result, addresses checksummed. */
export function parsePrivateTransactionResult(raw: Record<string, unknown>): PrivateTransactionFields {
  return {
    from: checksumAddress(String(raw.from)),
    to: raw.to == null ? null : checksumAddress(String(raw.to)),
    nonce: Number(BigInt(raw.nonce as string)),
    gas: BigInt(raw.gas as string),
    gasPrice: BigInt(raw.gasPrice as string),
    input: String(raw.input ?? "0x"),
    value: BigInt((raw.value as string | undefined) ?? 0),
    v: BigInt(raw.v as string),
    r: BigInt(raw.r as string),
    s: BigInt(raw.s as string),
    privateFrom: String(raw.privateFrom),
    privacyGroupId: raw.privacyGroupId == null ? null : String(raw.privacyGroupId),
    privateFor: Array.isArray(raw.privateFor) ? raw.privateFor.map(String) : null,
    restriction: String(raw.restriction),
  };
}
