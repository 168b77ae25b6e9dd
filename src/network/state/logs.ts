import { getBytes, keccak256 } from "ethers";
import { addressParam, blockParam, hashParam, isObject } from "../rpc/params";
import { Errors } from "../rpc/errors";
import type { PrivacyNode, PrivateLog, PrivateRecord } from "./node";
import { quantity } from "../chain/private-transaction";

/** A log filter of priv_getLogs / priv_newFilter, tags unresolved (a filter's "latest" moves with the head). */
export interface LogFilter {
  fromBlock: unknown;
  toBlock: unknown;
  blockHash?: string;
  addresses: string[];
  /** Per position: undefined matches anything, otherwise one of the listed topics. */
  topics: (string[] | undefined)[];
}

/** A log as priv_getLogs returns it (Besu's LogResult); logIndex counts across the group's block. */
export interface LogResult {
  logIndex: string;
  removed: boolean;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  transactionIndex: string;
  address: string;
  data: string;
  topics: string[];
}

export function parseLogFilter(value: unknown): LogFilter {
  if (value === undefined || value === null) return { fromBlock: "earliest", toBlock: "latest", addresses: [], topics: [] };
  if (!isObject(value)) throw Errors.invalidFilterParams();
  const { fromBlock, toBlock, blockHash, address, topics } = value;
  if (blockHash !== undefined && blockHash !== null && (fromBlock !== undefined || toBlock !== undefined)) throw Errors.invalidFilterParams();
  const filter: LogFilter = {
    fromBlock: fromBlock ?? "earliest",
    toBlock: toBlock ?? "latest",
    addresses: parseAddresses(address),
    topics: parseTopics(topics),
  };
  if (blockHash !== undefined && blockHash !== null) filter.blockHash = guard(() => hashParam(blockHash));
  for (const tag of [filter.fromBlock, filter.toBlock]) guard(() => blockParam(tag, Number.MAX_SAFE_INTEGER, Errors.invalidFilterParams));
  return filter;
}

function parseAddresses(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => addressParam(item, Errors.invalidFilterParams));
}

function parseTopics(value: unknown): (string[] | undefined)[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw Errors.invalidFilterParams();
  return value.map((position: unknown) => {
    if (position === null) return undefined;
    const list = Array.isArray(position) ? position : [position];
    return list.map((topic) => guard(() => hashParam(topic)));
  });
}

function guard<T>(read: () => T): T {
  try {
    return read();
  } catch {
    throw Errors.invalidFilterParams();
  }
}

/** The block range a filter covers now (inclusive); empty when it starts past the head. */
export function filterRange(filter: LogFilter, head: number, blockOf: (hash: string) => number | undefined): [number, number] | undefined {
  if (filter.blockHash !== undefined) {
    const number = blockOf(filter.blockHash);
    return number === undefined ? undefined : [number, number];
  }
  const from = blockParam(filter.fromBlock, head) ?? head + 1;
  const to = blockParam(filter.toBlock, head) ?? head;
  return from > to ? undefined : [from, to];
}

/** The group's logs on this node in [from, to] that match the filter, with Besu's per-group-per-block logIndex. */
export function groupLogs(node: PrivacyNode, groupId: string, range: [number, number] | undefined, filter: Omit<LogFilter, "fromBlock" | "toBlock">): LogResult[] {
  const group = node.groups.get(groupId);
  if (group === undefined || range === undefined) return [];
  const [from, to] = range;
  const results: LogResult[] = [];
  let block = -1;
  let logIndex = 0;
  for (const entry of group.entries) {
    if (entry.blockNumber < from || entry.blockNumber > to) continue;
    if (entry.blockNumber !== block) {
      block = entry.blockNumber;
      logIndex = 0;
    }
    const record = node.records.get(entry.markerHash)!;
    for (const log of record.outcome?.logs ?? []) {
      const index = logIndex++;
      if (matches(log, filter)) results.push(logResult(log, record, index));
    }
  }
  return results;
}

function matches(log: PrivateLog, filter: Omit<LogFilter, "fromBlock" | "toBlock">): boolean {
  if (filter.addresses.length > 0 && !filter.addresses.includes(log.address.toLowerCase())) return false;
  return filter.topics.every((wanted, position) => wanted === undefined || (log.topics[position] !== undefined && wanted.includes(log.topics[position].toLowerCase())));
}

export function logResult(log: PrivateLog, record: PrivateRecord, logIndex: number): LogResult {
  return {
    logIndex: quantity(logIndex),
    removed: false,
    blockNumber: quantity(record.blockNumber),
    blockHash: record.blockHash,
    transactionHash: record.markerHash,
    transactionIndex: quantity(record.transactionIndex),
    address: log.address.toLowerCase(),
    data: log.data,
    topics: log.topics,
  };
}

/** The 2048-bit bloom of the logs' addresses and topics (as in public receipts). */
export function logsBloom(logs: readonly PrivateLog[]): string {
  const bloom = new Uint8Array(256);
  for (const log of logs) {
    for (const item of [log.address, ...log.topics]) {
      const hash = getBytes(keccak256(item));
      for (let i = 0; i < 6; i += 2) {
        const bit = ((hash[i] << 8) | hash[i + 1]) & 2047;
        bloom[255 - (bit >> 3)] |= 1 << (bit & 7);
      }
    }
  }
  return "0x" + Buffer.from(bloom).toString("hex");
}

/** A log inside a private receipt: Besu's field order, logIndex counting within the receipt. */
export function receiptLog(log: PrivateLog, record: PrivateRecord, logIndex: number): object {
  const { address, topics, data, blockNumber, transactionHash, transactionIndex, blockHash, removed } = logResult(log, record, logIndex);
  return { address, topics, data, blockNumber, transactionHash, transactionIndex, blockHash, logIndex: quantity(logIndex), removed };
}
