import { type DecodedPrivateTransaction, decodePrivateTransaction, recoverSigner } from "../../core/codec";
import { privateTransactionRpcError } from "../rpc/errors";
import { recoverAddress } from "./signatures";

/** The network's private transaction: the codec's decoded form (src/core/codec.ts). */
export type PrivateTransaction = DecodedPrivateTransaction;

/** Decodes with the codec; a fault is answered with Besu's JSON-RPC error for it. */
export function decodeRawPrivateTransaction(raw: string): PrivateTransaction {
  try {
    return decodePrivateTransaction(raw);
  } catch (error) {
    throw privateTransactionRpcError(error);
  }
}

/** Recovered signers by signed RLP: each node and the RPC check recover the same transaction, and recovery is slow. */
const senders = new Map<string, string>();
const SENDER_CACHE_SIZE = 10_000;

/** The signer's address (libsecp256k1 when it loads), or Besu's INVALID_TRANSACTION_SIGNATURE if none can be recovered. */
export function recoverSender(tx: PrivateTransaction): string {
  const cached = senders.get(tx.raw);
  if (cached !== undefined) return cached;
  let sender: string;
  try {
    sender = recoverSigner(tx, recoverAddress);
  } catch (error) {
    throw privateTransactionRpcError(error);
  }
  if (senders.size >= SENDER_CACHE_SIZE) senders.delete(senders.keys().next().value!);
  senders.set(tx.raw, sender);
  return sender;
}

/** Besu's Quantity: 0x-prefixed, no leading zeros, "0x0" for zero. */
export function quantity(value: bigint | number): string {
  return "0x" + value.toString(16);
}
