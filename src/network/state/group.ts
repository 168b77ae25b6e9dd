import { MerklePatriciaTrie } from "@ethereumjs/mpt";
import { Caches, MerkleStateManager } from "@ethereumjs/statemanager";
import { type DB, MapDB, ValueEncoding, hexToBytes } from "@ethereumjs/util";
import { dataSlice } from "ethers";
import type { Common } from "@ethereumjs/common";
import { type BlockContext, type BlockHashLookup, DEFAULT_EXECUTION_LIMITS, type ExecutionLimits, PrivateExecutor, toHex } from "./evm";
import { type BaseRead, ScratchState, readsStillHold } from "./scratch-state";
import { GROUP_PROXY_ADDRESS } from "../../core/constants";


export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
export const EMPTY_TRIE_ROOT = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";

export const Selectors = {
  addParticipants: "0x965a25ef",
  removeParticipant: "0x1f52a8ee",
  getParticipants: "0x5aa68ac0",
  canExecute: "0x78b90337",
  getVersion: "0x0d8e6e2c",
} as const;

/** Trie nodes of every private state on the network, keyed by their hash. */
export type TrieDatabase = DB<string, string | Uint8Array>;

function newTrieDatabase(): TrieDatabase {
  return new MapDB<string, string | Uint8Array>();
}

/** A call's outcome in a simulation: whether it succeeded, and its output (or revert data). */
export interface SimulationResult {
  readonly ok: boolean;
  readonly output: string;
}

/** A successful private transaction of the group on this node, in chain order. */
export interface GroupEntry {
  markerHash: string;
  blockNumber: number;
  transactionIndex: number;
  /** The private state root after this transaction (what Besu's add blob carries as metadata). */
  stateRoot: string;
}

/** What every group's state needs: the EVM's chain rules, BLOCKHASH, the limits, the shared trie nodes, the live pool, the simulator. */
export interface PrivateStateContext {
  common: Common;
  blockHash: BlockHashLookup;
  limits: ExecutionLimits;
  db: TrieDatabase;
  live: LiveStates;
  simulator: Simulator;
}

/** A network's private-state context: one trie database, one pool of open states, one simulator. */
export function newPrivateStateContext(
  common: Common,
  blockHash: BlockHashLookup,
  openCapacity?: number,
  limits = DEFAULT_EXECUTION_LIMITS,
): PrivateStateContext {
  const simulator = new Simulator(common, blockHash, limits);
  return { common, blockHash, limits, db: newTrieDatabase(), live: new LiveStates(openCapacity), simulator };
}

/**
 * One EVM on one scratch layer for the simulated calls of every group: they run one at a time (the
 * network's queue), each over its group's state, so an open group needs no EVM of its own for them.
 */
export class Simulator {
  readonly scratch: ScratchState;
  readonly executor: PrivateExecutor;

  constructor(common: Common, blockHash: BlockHashLookup, limits: ExecutionLimits) {
    this.scratch = new ScratchState(new MerkleStateManager({ common }));
    this.executor = PrivateExecutor.create(common, this.scratch, blockHash, limits);
  }
}

/** A simulated call's answer, and the state reads it depended on. */
interface KnownAnswer {
  answer: SimulationResult;
  reads: BaseRead[];
}

/**
 * An open group state: its Merkle state, the EVM that runs its transactions (made at the first one: a
 * node that takes another node's results never needs it), and the last answer of each simulated call.
 */
interface OpenState {
  state: MerkleStateManager;
  executor?: PrivateExecutor;
  answers: Map<string, KnownAnswer>;
}

/**
 * The groups whose state is open (a state manager and at most one EVM), least recently used first.
 * A closed group keeps only its root: its state reopens from the shared trie when next used, so
 * 10,000 groups cost their roots, not 10,000 EVMs.
 */
export class LiveStates {
  private readonly open = new Set<PrivateGroup>();

  constructor(private readonly capacity = 256) {}

  /** Closes every open state (a snapshot's revert replaces the groups). */
  clear(): void {
    for (const group of this.open) group.close();
    this.open.clear();
  }

  touch(group: PrivateGroup): void {
    this.open.delete(group);
    this.open.add(group);
    if (this.open.size > this.capacity) {
      const oldest = this.open.values().next().value!;
      this.open.delete(oldest);
      oldest.close();
    }
  }
}

/** What a snapshot keeps of a group: its history and roots. Its trie nodes stay in the append-only database. */
export interface SavedGroup {
  entries: GroupEntry[];
  roots: { blockNumber: number; root: string }[];
  members: string[];
  headRoot: string;
}

/**
 * One privacy group's private state on one node: a Merkle-Patricia world state (so roots are real),
 * the root after each block with a successful transaction, and the successful transactions in order.
 */
export class PrivateGroup {
  readonly entries: GroupEntry[] = [];
  private readonly roots: { blockNumber: number; root: string }[] = [];
  /** The members at head, as getParticipants() returns them. */
  members: string[] = [];
  /** The state root now: the empty trie's until the first success. */
  headRoot = EMPTY_TRIE_ROOT;
  private openState: OpenState | undefined;
  /** How many simulated calls ran in the EVM, rather than reusing an answer. */
  simulationsRun = 0;

  private constructor(
    readonly id: string,
    private readonly context: PrivateStateContext,
  ) {}

  /** A group with no state yet. */
  static fresh(id: string, context: PrivateStateContext): PrivateGroup {
    return new PrivateGroup(id, context);
  }

  /** Its history and roots now (O(entries)): the trie nodes they name are never deleted. */
  save(): SavedGroup {
    return { entries: [...this.entries], roots: this.roots.map((root) => ({ ...root })), members: [...this.members], headRoot: this.headRoot };
  }

  /** The group as `save` found it, with no open state: it reopens at the saved head root when next used. */
  static restore(id: string, context: PrivateStateContext, saved: SavedGroup): PrivateGroup {
    const group = new PrivateGroup(id, context);
    for (const entry of saved.entries) group.entries.push(entry);
    for (const root of saved.roots) group.roots.push({ ...root });
    group.members = [...saved.members];
    group.headRoot = saved.headRoot;
    return group;
  }

  /** The group's current state, reopened at the head root if it was closed. */
  private get open(): OpenState {
    if (this.openState === undefined) {
      const { common, db } = this.context;
      const root = this.headRoot === EMPTY_TRIE_ROOT ? undefined : hexToBytes(this.headRoot as `0x${string}`);
      const trie = new MerklePatriciaTrie({ db, valueEncoding: ValueEncoding.Bytes, useKeyHashing: true, common, root });
      this.openState = { state: new MerkleStateManager({ common, trie, caches: new Caches() }), answers: new Map() };
    }
    this.context.live.touch(this);
    return this.openState;
  }

  /** The EVM whose effects are the group's state. */
  get executor(): PrivateExecutor {
    const open = this.open;
    open.executor ??= PrivateExecutor.create(this.context.common, open.state, this.context.blockHash, this.context.limits);
    return open.executor;
  }

  get stateManager(): MerkleStateManager {
    return this.open.state;
  }

  /** Frees the open state; only called between transactions, when every change is flushed into the trie. */
  close(): void {
    this.openState = undefined;
  }

  /**
   * Runs a call from address 0 to the proxy (as Besu's FlexiblePrivacyGroupContract does) on the state as
   * it is now, pending changes included, and discards its effects. The precompile's gate, the send and the
   * members read ask the same few questions of each state, and most transactions change none of what the
   * answers depend on: an answer that did not read its block is given again while every state read it
   * made would see the same value.
   */
  async simulate(data: string, block: BlockContext, to = GROUP_PROXY_ADDRESS): Promise<SimulationResult> {
    const call = to + data;
    const { state, answers } = this.open;
    const known = answers.get(call);
    if (known !== undefined && (await readsStillHold(state, known.reads))) return known.answer;
    const { scratch, executor: simulator } = this.context.simulator;
    scratch.reset(state);
    const reads = scratch.recordReads();
    try {
      const result = await simulator.run({ caller: ZERO_ADDRESS, to, data }, block);
      this.simulationsRun++;
      const answer: SimulationResult = { ok: result.execResult.exceptionError === undefined, output: toHex(result.execResult.returnValue) };
      if (simulator.lastCallReadBlock) answers.delete(call);
      else answers.set(call, { answer, reads });
      return answer;
    } finally {
      scratch.reset();
    }
  }

  /** True until the group's first successful private transaction on this node. */
  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /** Records a committed success and the new root. */
  async recordSuccess(entry: Omit<GroupEntry, "stateRoot">): Promise<GroupEntry> {
    const stateRoot = toHex(await this.stateManager.getStateRoot());
    this.headRoot = stateRoot;
    const recorded = { ...entry, stateRoot };
    // Usually the newest of all: a binary search keeps each success cheap however long the history.
    const place = countNotAfter(this.entries, (other) => againstPlace(other, entry.blockNumber, entry.transactionIndex));
    this.entries.splice(place, 0, recorded);
    const rootsUpTo = countNotAfter(this.roots, (root) => root.blockNumber - entry.blockNumber);
    if (this.roots[rootsUpTo - 1]?.blockNumber === entry.blockNumber) this.roots[rootsUpTo - 1].root = stateRoot;
    else this.roots.splice(rootsUpTo, 0, { blockNumber: entry.blockNumber, root: stateRoot });
    return recorded;
  }

  /** Moves the state to a root another node computed from the same state and transaction. */
  async adoptRoot(root: string): Promise<void> {
    await this.stateManager.setStateRoot(hexToBytes(root as `0x${string}`));
  }

  /** The group's state root as of the end of `blockNumber`: the empty trie's before the group existed. */
  rootAt(blockNumber: number): string {
    const upTo = countNotAfter(this.roots, (root) => root.blockNumber - blockNumber);
    return upTo === 0 ? EMPTY_TRIE_ROOT : this.roots[upTo - 1].root;
  }

  /** The state root just before the transaction at this place in the chain: undefined if no success preceded it. */
  stateRootBefore(blockNumber: number, transactionIndex: number): string | undefined {
    const before = countNotAfter(this.entries, (entry) => (againstPlace(entry, blockNumber, transactionIndex) < 0 ? 0 : 1));
    return before === 0 ? undefined : this.entries[before - 1].stateRoot;
  }

  /** A throw-away executor on the state as of `blockNumber`, or undefined if the group had no state yet. */
  async executorAt(blockNumber: number): Promise<PrivateExecutor | undefined> {
    const root = this.rootAt(blockNumber);
    return root === EMPTY_TRIE_ROOT ? undefined : this.executorOn(root);
  }

  /** A throw-away executor on any root of this group (the empty trie's included). */
  executorOn(root: string): PrivateExecutor {
    const { common, db, blockHash, limits } = this.context;
    const start = root === EMPTY_TRIE_ROOT ? undefined : hexToBytes(root as `0x${string}`);
    const trie = new MerklePatriciaTrie({ db, valueEncoding: ValueEncoding.Bytes, useKeyHashing: true, common, root: start });
    return PrivateExecutor.create(common, new MerkleStateManager({ common, trie }), blockHash, limits);
  }
}

/** Where an entry stands in chain order against a place: negative before it, 0 at it, positive after it. */
function againstPlace(entry: GroupEntry, blockNumber: number, transactionIndex: number): number {
  return entry.blockNumber - blockNumber || entry.transactionIndex - transactionIndex;
}

/**
 * In a list sorted by `compare` (negative: before the sought place, 0: at it, positive: after it), how
 * many items are not after it: the index to insert after them.
 */
function countNotAfter<T>(sorted: readonly T[], compare: (item: T) => number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(sorted[middle]) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Keys of an ABI `bytes[]` (getParticipants output, or addParticipants calldata after the selector),
 * base64. As Besu's FlexibleUtil: keys of different lengths, or anything undecodable, decode as none.
 */
export function decodeKeyList(encoded: string): string[] {
  const bytes = Buffer.from(encoded.slice(2), "hex");
  const word = (position: number): number => {
    if (position < 0 || position + 32 > bytes.length) throw new RangeError("out of bounds");
    const value = bytes.readBigUInt64BE(position + 24);
    if (bytes.subarray(position, position + 24).some((byte) => byte !== 0) || value > BigInt(bytes.length)) throw new RangeError("too large");
    return Number(value);
  };
  try {
    const list = word(0);
    const count = word(list);
    const keys: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const start = list + 32 + word(list + 32 + 32 * i);
      const length = word(start);
      if (start + 32 + length > bytes.length) return [];
      keys.push(bytes.subarray(start + 32, start + 32 + length));
    }
    if (keys.some((key) => key.length !== keys[0].length)) return [];
    return keys.map((key) => key.toString("base64"));
  } catch {
    return [];
  }
}

/** The keys an addParticipants call adds (empty for any other call). */
export function participantsFromCalldata(to: string | null, data: string): string[] {
  if (to !== GROUP_PROXY_ADDRESS || !data.startsWith(Selectors.addParticipants)) return [];
  return decodeKeyList(dataSlice(data, 4));
}

export function isAddParticipants(to: string | null, data: string): boolean {
  return to === GROUP_PROXY_ADDRESS && data.startsWith(Selectors.addParticipants);
}

export function isAllZero(hex: string): boolean {
  return /^0x0*$/.test(hex);
}
