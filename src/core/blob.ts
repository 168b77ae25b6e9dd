/**
 * "This is the blob": an alloc-like description of a group's genesis accounts compared, field by field,
 * with the shipped one (genesis/alloc.json). The release tooling (`fpg:verify`) and the development
 * network's `groupGenesis` check both use it; it reads no file, the caller passes the shipped alloc.
 */
import { keccak256 } from "./bytes";

/** One account of an alloc as Besu's genesis file writes it; every field may be hex or absent. */
export interface AllocAccountLike {
  code?: string;
  storage?: Record<string, string>;
  balance?: string;
  nonce?: string;
}

/** Accounts by address; keys may be checksummed, lowercase or without 0x, as Besu accepts them all. */
export type AllocLike = Record<string, AllocAccountLike>;

/** One way a found alloc is not the shipped one: which account, which field, expected and found. */
export interface BlobDifference {
  account: string;
  /** "account", "code", "balance", "nonce" or "storage[<slot>]". */
  field: string;
  expected: string;
  found: string;
}

export function describeDifference(difference: BlobDifference): string {
  return `${difference.account} ${difference.field}: expected ${difference.expected}, found ${difference.found}`;
}

const normalAddress = (key: string): string => `0x${key.toLowerCase().replace(/^0x/, "")}`;

/** A quantity (hex with 0x, or decimal, as Besu reads balances); undefined when it is neither. */
function quantity(value: unknown): bigint | undefined {
  if (value === undefined) return 0n;
  if (typeof value !== "string" || !/^(?:0x[0-9a-fA-F]+|[0-9]+)$/.test(value)) return undefined;
  return BigInt(value);
}

const hexQuantity = (value: bigint): string => `0x${value.toString(16)}`;

function shown(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value) : String(value);
}

/** Code is long: shown by its hash and length, or as what it is when it is not hex. */
function codeSummary(code: unknown): string {
  if (code === undefined) return "no code";
  if (typeof code !== "string" || !/^(?:0x)?(?:[0-9a-fA-F]{2})*$/.test(code)) return `not hex: ${shown(code)}`;
  const hex = `0x${code.replace(/^0x/, "").toLowerCase()}`;
  return `keccak256 ${keccak256(hex)} (${(hex.length - 2) / 2} bytes)`;
}

/** Storage as slot → non-zero word, both as numbers (a zero word is an absent slot); undefined if not storage. */
function storageWords(storage: unknown): Map<bigint, bigint> | string {
  if (storage === undefined) return new Map();
  if (typeof storage !== "object" || storage === null || Array.isArray(storage)) return `not storage: ${shown(storage)}`;
  const words = new Map<bigint, bigint>();
  const keys = new Map<bigint, string>();
  for (const [slot, word] of Object.entries(storage as Record<string, unknown>)) {
    const key = /^0x[0-9a-fA-F]{1,64}$/.test(slot) ? BigInt(slot) : undefined;
    const value = typeof word === "string" && /^0x[0-9a-fA-F]{1,64}$/.test(word) ? BigInt(word) : undefined;
    if (key === undefined || value === undefined) return `not storage: slot ${shown(slot)} = ${shown(word)}`;
    // "0x0" and "0x00…0" are one slot: which word a reader keeps depends on its key order, so both are refused.
    if (keys.has(key)) return `not storage: slot ${hexQuantity(key)} given twice (${shown(keys.get(key))} and ${shown(slot)})`;
    keys.set(key, slot);
    if (value !== 0n) words.set(key, value);
  }
  return words;
}

function accountDifferences(address: string, found: unknown, shipped: AllocAccountLike): BlobDifference[] {
  if (typeof found !== "object" || found === null || Array.isArray(found)) {
    return [{ account: address, field: "account", expected: "an object of code, storage, balance", found: shown(found) }];
  }
  const account = found as Record<string, unknown>;
  const differences: BlobDifference[] = [];
  const add = (field: string, expected: string, value: string) =>
    differences.push({ account: address, field, expected, found: value });

  if (codeSummary(account.code) !== codeSummary(shipped.code)) add("code", codeSummary(shipped.code), codeSummary(account.code));
  for (const field of ["balance", "nonce"] as const) {
    const expected = quantity(shipped[field]) as bigint; // the shipped alloc is the export's, well formed
    const value = quantity(account[field]);
    if (value !== expected) add(field, hexQuantity(expected), value === undefined ? shown(account[field]) : hexQuantity(value));
  }
  const expectedWords = storageWords(shipped.storage) as Map<bigint, bigint>;
  const foundWords = storageWords(account.storage);
  if (typeof foundWords === "string") {
    add("storage", "slot: word pairs in hex, each slot once", foundWords);
    return differences;
  }
  const slots = [...new Set([...expectedWords.keys(), ...foundWords.keys()])].sort((a, b) => (a < b ? -1 : 1));
  for (const slot of slots) {
    const expected = expectedWords.get(slot);
    const value = foundWords.get(slot);
    if (expected !== value) {
      const word = (w: bigint | undefined) => (w === undefined ? "nothing" : hexQuantity(w));
      add(`storage[${hexQuantity(slot)}]`, word(expected), word(value));
    }
  }
  return differences;
}

/**
 * Every way `found` differs from `shipped`: exactly the shipped accounts, each with the shipped code,
 * storage (zero words count as absent), balance and nonce (absent counts as 0). Empty means it is the blob.
 */
export function blobDifferences(found: Record<string, unknown>, shipped: AllocLike): BlobDifference[] {
  const foundByAddress = new Map(Object.entries(found).map(([key, account]) => [normalAddress(key), account]));
  const shippedByAddress = new Map(Object.entries(shipped).map(([key, account]) => [normalAddress(key), account]));
  const differences: BlobDifference[] = [];
  // One account under two keys ("0x…7c" and "0x…7C"): which one a reader keeps depends on its key order.
  for (const address of foundByAddress.keys()) {
    const keys = Object.keys(found).filter((key) => normalAddress(key) === address);
    if (keys.length > 1) {
      differences.push({ account: address, field: "account", expected: "listed once", found: `listed ${keys.length} times (${keys.join(", ")})` });
    }
  }
  for (const [address, account] of shippedByAddress) {
    if (!foundByAddress.has(address)) {
      differences.push({ account: address, field: "account", expected: "present", found: "absent" });
    } else {
      differences.push(...accountDifferences(address, foundByAddress.get(address), account));
    }
  }
  for (const address of foundByAddress.keys()) {
    if (!shippedByAddress.has(address)) {
      const expected = `absent (the blob has exactly ${shippedByAddress.size} accounts)`;
      differences.push({ account: address, field: "account", expected, found: "present" });
    }
  }
  return differences;
}

/** The word the shipped proxy keeps in `slot` (its implementation, for slot 0), as a number. */
export function shippedStorageWord(shipped: AllocLike, address: string, slot: bigint): bigint {
  const account = Object.entries(shipped).find(([key]) => normalAddress(key) === normalAddress(address))?.[1];
  const words = storageWords(account?.storage);
  return typeof words === "string" ? 0n : (words.get(slot) ?? 0n);
}
