import { SigningKey, encodeRlp, keccak256, toBeArray, type BytesLike } from "ethers";

/** A private transaction for tests (Besu's RLP); the real client class lives in src/besu/. */
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
  restriction?: string;
  /** undefined: no chain id (v = 27/28), as Besu's acceptance tests sign. */
  chainId?: bigint | number;
}

const scalar = (value: bigint | number): Uint8Array => (BigInt(value) === 0n ? new Uint8Array() : toBeArray(BigInt(value)));
const base64 = (key: string): Uint8Array => Buffer.from(key, "base64");

function tail(tx: TestPrivateTx): (Uint8Array | Uint8Array[])[] {
  const groupOrFor = tx.privacyGroupId !== undefined ? base64(tx.privacyGroupId) : (tx.privateFor ?? []).map(base64);
  return [base64(tx.privateFrom), groupOrFor, Buffer.from(tx.restriction ?? "restricted", "latin1")];
}

function head(tx: TestPrivateTx): (Uint8Array | string)[] {
  return [
    scalar(tx.nonce),
    scalar(tx.gasPrice ?? 0),
    scalar(tx.gasLimit ?? 3_000_000),
    tx.to ?? "0x",
    scalar(tx.value ?? 0),
    tx.data,
  ];
}

/** Signs as Besu's PrivateTransaction does: keccak of the RLP with [chainId, 0, 0] in place of v, r, s when EIP-155. */
export function signPrivateTx(tx: TestPrivateTx, privateKey: string): string {
  const eip155 = tx.chainId === undefined ? [] : [scalar(tx.chainId), new Uint8Array(), new Uint8Array()];
  const digest = keccak256(encodeRlp([...head(tx), ...eip155, ...tail(tx)] as BytesLike[]));
  const signature = new SigningKey(privateKey).sign(digest);
  const v = tx.chainId === undefined ? 27 + signature.yParity : 35 + 2 * Number(tx.chainId) + signature.yParity;
  return encodeRlp([...head(tx), scalar(v), scalar(BigInt(signature.r)), scalar(BigInt(signature.s)), ...tail(tx)] as BytesLike[]);
}

/** Encodes raw RLP items (for malformed transactions in tests). */
export function encodeItems(items: unknown[]): string {
  return encodeRlp(items as BytesLike[]);
}
