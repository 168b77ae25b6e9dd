/**
 * The results of Besu's priv_ methods, read once for both clients (each gives them its library's types):
 * a private transaction, a private receipt, a private log. Besu's field names, numbers as numbers or bigints,
 * addresses checksummed.
 */
import { checksumAddress } from "./bytes";
import { type PrivateOutcome, privateOutcome, revertDataOf } from "./receipt";

type Raw = Record<string, unknown>;

/** priv_getPrivateTransaction's result. */
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
export function parsePrivateTransactionResult(raw: Raw): PrivateTransactionFields {
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

/** A private log, from priv_getTransactionReceipt, priv_getLogs or a filter: the marker transaction's coordinates. */
export interface PrivateLogFields {
  address: string;
  topics: string[];
  data: string;
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  transactionIndex: number;
  logIndex: number;
  removed: boolean;
}

export function parsePrivateLog(raw: Raw): PrivateLogFields {
  return {
    address: checksumAddress(String(raw.address)),
    topics: Array.isArray(raw.topics) ? raw.topics.map(String) : [],
    data: String(raw.data),
    blockNumber: Number(BigInt(raw.blockNumber as string)),
    blockHash: String(raw.blockHash),
    transactionHash: String(raw.transactionHash),
    transactionIndex: Number(BigInt((raw.transactionIndex as string | undefined) ?? 0)),
    logIndex: Number(BigInt((raw.logIndex as string | undefined) ?? 0)),
    removed: raw.removed === true,
  };
}

/** priv_getTransactionReceipt's result, with its outcome (src/core/receipt.ts). */
export interface PrivateReceiptFields {
  /** The privacy marker transaction's hash (Besu's `commitmentHash`): what eea_sendRawTransaction returned. */
  markerHash: string;
  blockHash: string;
  blockNumber: number;
  transactionIndex: number;
  from: string;
  to: string | null;
  contractAddress: string | null;
  /** Return data, or the runtime code of a deployed contract. */
  output: string;
  privateFrom: string;
  privacyGroupId: string | null;
  privateFor: string[] | null;
  /** 1 success; 0 reverted or dropped; 2 invalid (e.g. a nonce that did not match at execution). */
  status: number;
  outcome: PrivateOutcome;
  revertReason: string | null;
  logs: PrivateLogFields[];
  logsBloom: string;
}

/** The receipt of the marker `markerHash` (Besu's receipt names it `commitmentHash`, where it does). */
export function parsePrivateReceipt(raw: Raw, markerHash: string): PrivateReceiptFields {
  const status = Number(BigInt((raw.status as string | undefined) ?? 0));
  const revertReason = revertDataOf(raw.revertReason);
  return {
    markerHash: String(raw.commitmentHash ?? markerHash),
    blockHash: String(raw.blockHash),
    blockNumber: Number(BigInt(raw.blockNumber as string)),
    transactionIndex: Number(BigInt((raw.transactionIndex as string | undefined) ?? 0)),
    from: checksumAddress(String(raw.from)),
    to: raw.to == null ? null : checksumAddress(String(raw.to)),
    contractAddress: raw.contractAddress == null ? null : checksumAddress(String(raw.contractAddress)),
    output: String(raw.output ?? "0x"),
    privateFrom: String(raw.privateFrom),
    privacyGroupId: raw.privacyGroupId == null ? null : String(raw.privacyGroupId),
    privateFor: Array.isArray(raw.privateFor) ? raw.privateFor.map(String) : null,
    status,
    outcome: privateOutcome(status, revertReason),
    revertReason,
    logs: Array.isArray(raw.logs) ? raw.logs.map((log: Raw) => parsePrivateLog(log)) : [],
    logsBloom: String(raw.logsBloom ?? "0x"),
  };
}
