import { keccak256, toBytes } from "./bytes";
import { InvalidMembershipHistoryError, SdkErrorCode } from "./errors";
import { bytesToTesseraKey, describeType, parseTesseraKey } from "./keys";
import { GROUP_ADDRESSES } from "./constants";

export type MembershipChangeKind = "added" | "removed";

/** One membership event of a privacy group, with the key as Tessera base64. */
export type MembershipChange = {
  kind: MembershipChangeKind;
  key: string;
  blockNumber: number;
  logIndex?: number;
  transactionHash?: string;
};

/** One step in the life of a single key, as returned by historyByKey. */
export type KeyChange = { kind: MembershipChangeKind; blockNumber: number };

/**
 * The subset of an ethers v6 `Log` (or a raw JSON-RPC log, whose numbers are
 * hex strings) that history needs. ethers names the position `index`, JSON-RPC `logIndex`.
 */
export interface MembershipLog {
  /** The emitting contract: a membership log counts only from one of the group's addresses. */
  readonly address: string;
  readonly topics: readonly string[];
  readonly data: string;
  readonly blockNumber: number | bigint | string;
  readonly index?: number | bigint | string;
  readonly logIndex?: number | bigint | string;
  readonly transactionHash?: string;
  readonly removed?: boolean;
}

export const MEMBERSHIP_EVENT_SIGNATURES = [
  "event ParticipantAdded(bool success, bytes publicEnclaveKey, string message)",
  "event ParticipantRemoved(bytes publicEnclaveKey)",
] as const;

/**
 * The two events as history reads them. Decoded by hand (a bool, a bytes and a string; or a bytes) rather
 * than through an ABI library, so that history runs with either client library or with neither.
 */
const MEMBERSHIP_EVENTS = [
  { name: "ParticipantAdded", topic: topicOf("ParticipantAdded(bool,bytes,string)") },
  { name: "ParticipantRemoved", topic: topicOf("ParticipantRemoved(bytes)") },
] as const;
const [PARTICIPANT_ADDED] = MEMBERSHIP_EVENTS;

/** topics[0] of ParticipantAdded and of ParticipantRemoved: a log filter for a group's membership changes. */
export const MEMBERSHIP_TOPICS: readonly string[] = MEMBERSHIP_EVENTS.map((event) => event.topic);

function topicOf(signature: string): string {
  return keccak256(new TextEncoder().encode(signature));
}

/**
 * Where a Besu group's membership events come from: the management contract 0x…7b (Besu's default emits
 * ParticipantAdded there) and the proxy 0x…7c (ParticipantRemoved, and every event of this project's
 * delegating proxy).
 */
export const BESU_GROUP_ADDRESSES: readonly string[] = GROUP_ADDRESSES;

/**
 * Decodes the group's ParticipantAdded / ParticipantRemoved logs into chain-ordered
 * changes. Other events are skipped, and so are logs a reorg removed,
 * ParticipantAdded(success = false), which the contract emits for a key that
 * was already a member (nothing changed), and logs from any other contract than
 * the group's own (`groupAddresses`, by default Besu's 0x…7b and 0x…7c): any
 * contract in the group can emit the same event signatures.
 */
export function membershipHistoryFromLogs(
  logs: readonly MembershipLog[],
  options: { groupAddresses?: readonly string[] } = {},
): MembershipChange[] {
  const groupAddresses = new Set((options.groupAddresses ?? BESU_GROUP_ADDRESSES).map((address) => address.toLowerCase()));
  const changes: MembershipChange[] = [];
  logs.forEach((log, position) => {
    // Without its address a log could come from any contract in the group, which can emit the same events.
    const address: unknown = log.address;
    if (typeof address !== "string") {
      throw new InvalidMembershipHistoryError(
        SdkErrorCode.MalformedLog,
        `log #${position} has no address: pass logs as the node returns them, with the emitting contract's address`,
      );
    }
    if (!groupAddresses.has(address.toLowerCase())) return;
    const change = decodeMembershipLog(log, position);
    if (change !== undefined) changes.push(change);
  });
  return membershipHistory(changes);
}

/**
 * Validates changes and returns copies in chain order: by block, then by log
 * index. Within one block, changes without a log index keep the order given;
 * mixing changes with and without a log index in one block is refused, as
 * their relative order would be a guess.
 */
export function membershipHistory(changes: readonly MembershipChange[]): MembershipChange[] {
  const given: unknown = changes; // checked as unknown: Array.isArray would widen a typed array to any[]
  if (!Array.isArray(given)) {
    throw new InvalidMembershipHistoryError(SdkErrorCode.InvalidChange, `history must be an array, got ${describeType(given)}`);
  }
  const validated = changes.map((change, position) => validateChange(change, position));
  assertUnambiguousOrder(validated);
  // Array.prototype.sort is stable, so unindexed changes keep their given order.
  return validated.sort((a, b) => a.blockNumber - b.blockNumber || (a.logIndex ?? 0) - (b.logIndex ?? 0));
}

/** Each key's changes in chain order (added, removed, re-added, ...), keys in order of first appearance. */
export function historyByKey(changes: readonly MembershipChange[]): Map<string, KeyChange[]> {
  const byKey = new Map<string, KeyChange[]>();
  for (const { kind, key, blockNumber } of membershipHistory(changes)) {
    const steps = byKey.get(key) ?? [];
    steps.push({ kind, blockNumber });
    byKey.set(key, steps);
  }
  return byKey;
}

/**
 * The members once every change in blocks <= blockNumber has applied.
 * Replaying is idempotent: adding a member or removing a non-member changes nothing.
 */
export function membersAt(changes: readonly MembershipChange[], blockNumber: number): Set<string> {
  if (!Number.isSafeInteger(blockNumber)) {
    throw new RangeError(`blockNumber must be an integer, got ${String(blockNumber)}`);
  }
  const members = new Set<string>();
  for (const change of membershipHistory(changes)) {
    if (change.blockNumber > blockNumber) break;
    if (change.kind === "added") members.add(change.key);
    else members.delete(change.key);
  }
  return members;
}

function decodeMembershipLog(log: MembershipLog, position: number): MembershipChange | undefined {
  const topic = log.topics[0]?.toLowerCase();
  const event = MEMBERSHIP_EVENTS.find((candidate) => candidate.topic === topic);
  if (event === undefined || log.removed === true) return undefined;

  const malformed = (what: string, cause?: unknown): InvalidMembershipHistoryError =>
    new InvalidMembershipHistoryError(SdkErrorCode.MalformedLog, `log #${position} (${event.name}): ${what}`, { cause });

  const isAdded = event === PARTICIPANT_ADDED;
  let success: boolean;
  let rawKey: Uint8Array;
  try {
    const data = toBytes(log.data);
    success = isAdded ? abiBool(data, 0) : true;
    rawKey = abiBytes(data, isAdded ? 1 : 0);
    // The message is not used, but a log whose message does not decode is not the contract's.
    if (isAdded) new TextDecoder("utf-8", { fatal: true }).decode(abiBytes(data, 2));
  } catch (error) {
    throw malformed("data does not decode", error);
  }
  if (!success) return undefined;

  let key: string;
  try {
    key = bytesToTesseraKey(rawKey);
  } catch (error) {
    throw malformed(error instanceof Error ? error.message : "bad key", error);
  }
  const change: MembershipChange = {
    kind: isAdded ? "added" : "removed",
    key,
    blockNumber: toLogNumber(log.blockNumber, "blockNumber", malformed),
  };
  const logIndex = log.index ?? log.logIndex;
  if (logIndex !== undefined) change.logIndex = toLogNumber(logIndex, "log index", malformed);
  if (typeof log.transactionHash === "string") change.transactionHash = log.transactionHash;
  return change;
}

const WORD = 32;

/** The 32-byte word at byte `at` of ABI-encoded data, as a number; a RangeError past the end. */
function abiWord(data: Uint8Array, at: number): bigint {
  if (at + WORD > data.length) throw new RangeError(`data ends before the word at byte ${at}`);
  return BigInt(`0x${Buffer.from(data.subarray(at, at + WORD)).toString("hex")}`);
}

/** The bool in head word `index`: 0 or 1, as Solidity writes it. */
function abiBool(data: Uint8Array, index: number): boolean {
  const value = abiWord(data, index * WORD);
  if (value > 1n) throw new RangeError(`a bool word holds ${value}`);
  return value === 1n;
}

/** The dynamic `bytes` (or string) whose offset is head word `index`: a length word there, then the bytes. */
function abiBytes(data: Uint8Array, index: number): Uint8Array {
  const offset = abiWord(data, index * WORD);
  if (offset > BigInt(data.length)) throw new RangeError(`offset ${offset} is past the data`);
  const length = abiWord(data, Number(offset));
  const start = Number(offset) + WORD;
  if (BigInt(start) + length > BigInt(data.length)) throw new RangeError(`${length} bytes run past the data`);
  return data.subarray(start, start + Number(length));
}

function toLogNumber(
  value: unknown,
  field: string,
  malformed: (what: string) => InvalidMembershipHistoryError,
): number {
  let parsed: number | undefined;
  if (typeof value === "number") parsed = value;
  else if (typeof value === "bigint") parsed = Number(value);
  else if (typeof value === "string" && /^0x[0-9a-fA-F]+$/.test(value)) parsed = Number.parseInt(value, 16);
  if (parsed === undefined || !Number.isSafeInteger(parsed) || parsed < 0) {
    throw malformed(`${field} must be a non-negative integer (number, bigint or 0x hex), got ${String(value)}`);
  }
  return parsed;
}

function validateChange(change: MembershipChange, position: number): MembershipChange {
  const invalid = (what: string, cause?: unknown): InvalidMembershipHistoryError =>
    new InvalidMembershipHistoryError(SdkErrorCode.InvalidChange, `change #${position}: ${what}`, { cause });

  if (typeof change !== "object" || change === null) throw invalid(`expected an object, got ${describeType(change)}`);
  const { kind, key, blockNumber, logIndex, transactionHash } = change;
  if (kind !== "added" && kind !== "removed") throw invalid(`kind must be "added" or "removed", got ${String(kind)}`);
  try {
    parseTesseraKey(key);
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : "bad key", error);
  }
  if (!isBlockCounter(blockNumber)) throw invalid(`blockNumber must be a non-negative integer, got ${String(blockNumber)}`);
  if (logIndex !== undefined && !isBlockCounter(logIndex)) {
    throw invalid(`logIndex must be a non-negative integer, got ${String(logIndex)}`);
  }
  if (transactionHash !== undefined && typeof transactionHash !== "string") {
    throw invalid(`transactionHash must be a string, got ${describeType(transactionHash)}`);
  }

  // Copy only known fields, leaving out absent optional ones, so results compare cleanly.
  const copy: MembershipChange = { kind, key, blockNumber };
  if (logIndex !== undefined) copy.logIndex = logIndex;
  if (transactionHash !== undefined) copy.transactionHash = transactionHash;
  return copy;
}

function isBlockCounter(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function assertUnambiguousOrder(changes: readonly MembershipChange[]): void {
  const blocks = new Map<number, { indexed: Set<number>; unindexed: number }>();
  for (const { blockNumber, logIndex } of changes) {
    const block = blocks.get(blockNumber) ?? { indexed: new Set<number>(), unindexed: 0 };
    blocks.set(blockNumber, block);
    if (logIndex === undefined) {
      block.unindexed++;
    } else if (block.indexed.has(logIndex)) {
      throw new InvalidMembershipHistoryError(
        SdkErrorCode.DuplicatePosition,
        `two changes at block ${blockNumber}, log index ${logIndex}`,
      );
    } else {
      block.indexed.add(logIndex);
    }
    if (block.unindexed > 0 && block.indexed.size > 0) {
      throw new InvalidMembershipHistoryError(
        SdkErrorCode.AmbiguousOrder,
        `block ${blockNumber} mixes changes with and without a log index, so their order is unknown`,
      );
    }
  }
}
