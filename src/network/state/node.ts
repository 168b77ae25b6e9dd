import { Account, createAddressFromString as createAddress } from "@ethereumjs/util";
import { getBytes } from "ethers";
import { Enclave, type ReceivedPayload } from "../chain/enclave";
import { type BlockContext, applyGroupGenesis, toHex } from "./evm";
import {
  type GroupEntry,
  PrivateGroup,
  type PrivateStateContext,
  Selectors,
  decodeKeyList,
  isAddParticipants,
  isAllZero,
  participantsFromCalldata,
  EMPTY_TRIE_ROOT,
} from "./group";
import { traceCall } from "./trace";
import { RAISE_TIMEOUT, privateTimeout } from "../rpc/errors";
import { type PrivateTransaction, decodeRawPrivateTransaction, recoverSender } from "../chain/private-transaction";
import { decodeAddBlob, decodeVersionedPayload, encodeAddBlob, getPrivateContractAddress } from "../../core/codec";
import { type ChainBlock, type PublicChain } from "../chain/public-chain";
import type { GroupGenesis } from "../types";
import { GROUP_ADDRESSES, GROUP_PROXY_ADDRESS, PRIVACY_PRECOMPILE_ADDRESS } from "../../core/constants";
import type { DropReason } from "../../besu/errors";

/** A log as the private EVM emitted it. */
export interface PrivateLog {
  address: string;
  topics: string[];
  data: string;
}

/** What Besu stores as the private receipt: status 0x1 success, 0x0 failed, 0x2 invalid. */
export interface PrivateOutcome {
  status: "0x0" | "0x1" | "0x2";
  output: string;
  logs: PrivateLog[];
  revertReason?: string;
}

/** A private transaction this node's enclave let it see, at its marker transaction's place in the chain. */
export interface PrivateRecord {
  markerHash: string;
  tx: PrivateTransaction;
  /** Recovered signer, lower case. */
  sender: string;
  blockNumber: number;
  blockHash: string;
  transactionIndex: number;
  /** Absent when the precompile dropped the transaction: the receipt is then Besu's synthesized FAILED one. */
  outcome?: PrivateOutcome;
  /** Which check of the precompile's gate dropped it. */
  dropReason?: DropReason;
  /** This node's keys the enclave (or an add blob) gave the payload to. */
  visibleTo: Set<string>;
}

/** What one node computed for a marker from a given group state, for other nodes in the same state. */
interface KnownExecution {
  outcome: PrivateOutcome | undefined;
  dropReason?: DropReason;
  stateRoot: string;
  members: string[];
}

/**
 * Executions of the block being processed, by marker hash, group state root and kind. The EVM is
 * deterministic, so a node whose group state equals another's takes that node's result instead of
 * re-executing: same pre-state, transaction and block give the same receipt and root.
 */
export class ExecutionMemo {
  private readonly known = new Map<string, KnownExecution>();
  /** Decoded payloads of the block (and of sends since the last block): every node keeps the same object. */
  private readonly transactions = new Map<string, PrivateTransaction>();

  decode(raw: string): PrivateTransaction {
    const known = this.transactions.get(raw);
    if (known !== undefined) return known;
    return this.remember(decodeRawPrivateTransaction(raw));
  }

  /** A transaction the RPC decoded when it was sent: the block that carries its marker takes it as is. */
  remember(tx: PrivateTransaction): PrivateTransaction {
    this.transactions.set(tx.raw, tx);
    return tx;
  }

  get(key: string): KnownExecution | undefined {
    return this.known.get(key);
  }

  set(key: string, execution: KnownExecution): void {
    this.known.set(key, execution);
  }

  /** Called after every node processed a block: later blocks have other contexts. */
  clear(): void {
    this.known.clear();
    this.transactions.clear();
  }
}

/** What each processed private transaction reports (the CLI prints one line per entry). */
export interface PrivateTransactionEntry {
  node: string;
  markerHash: string;
  /** The marker's block (for a replayed transaction, its original block); always set by the network. */
  blockNumber?: number;
  privacyGroupId?: string;
  sender: string;
  to: string | null;
  data: string;
  status: "0x0" | "0x1" | "0x2";
  dropped: boolean;
  /** When dropped: which check of the precompile's gate dropped it (the client's names). */
  dropReason?: DropReason;
  replayed: boolean;
}

/**
 * One node's privacy layer: its enclave, its private state per group, and what it saw of each marker
 * transaction. It executes only payloads its enclave received, so its view is its own.
 */
export class PrivacyNode {
  readonly enclave: Enclave;
  /** Besu's privacy-group head map: groups with at least one successful private transaction here. */
  readonly groups = new Map<string, PrivateGroup>();
  readonly records = new Map<string, PrivateRecord>();

  constructor(
    readonly name: string,
    readonly keys: readonly string[],
    private readonly chain: PublicChain,
    private readonly states: PrivateStateContext,
    private readonly genesis: GroupGenesis,
    private readonly report: (entry: PrivateTransactionEntry) => void,
    private readonly memo: ExecutionMemo,
  ) {
    this.enclave = new Enclave(new Set(keys));
  }

  headBlockNumber(): number {
    return this.chain.head;
  }

  /** Processes a new public block: first the add blobs it carries (rehydration), then each marker transaction. */
  async processBlock(block: ChainBlock): Promise<void> {
    const markers = block.transactions.filter((tx) => tx.to === PRIVACY_PRECOMPILE_ADDRESS);
    for (const marker of markers) {
      const bytes = getBytes(marker.input);
      if (bytes.length === 64) await this.survive(marker.hash, () => this.rehydrate(Buffer.from(bytes.subarray(32)).toString("base64")));
    }
    for (const marker of markers) {
      const bytes = getBytes(marker.input);
      if (bytes.length !== 32 && bytes.length !== 64) continue;
      const received = this.enclave.receive(Buffer.from(bytes.subarray(0, 32)).toString("base64"));
      if (received !== undefined) await this.survive(marker.hash, () => this.processMarker(block, marker.hash, marker.index, received));
    }
  }

  /** A failure inside one marker's processing (a bug, not input) must not stop the node's other markers. */
  private async survive(markerHash: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      console.error(`${this.name}: processing marker ${markerHash} failed:`, error);
    }
  }

  private async processMarker(block: ChainBlock, markerHash: string, transactionIndex: number, received: ReceivedPayload): Promise<void> {
    let tx: PrivateTransaction;
    let version: string;
    let sender: string;
    try {
      const payload = decodeVersionedPayload(received.payload);
      tx = this.memo.decode(payload.raw);
      version = payload.version;
      sender = recoverSender(tx);
    } catch {
      return; // Not a payload the precompile can read: nothing happens.
    }
    const record: PrivateRecord = {
      markerHash,
      tx,
      sender,
      blockNumber: block.number,
      blockHash: block.hash,
      transactionIndex,
      visibleTo: new Set(received.parties),
    };
    this.records.set(markerHash, record);
    if (tx.privateFrom !== received.senderKey || tx.privacyGroupId === undefined) {
      record.dropReason = "unknown"; // gate items 2 and 3: not checks the client can name
      this.emit(record, true, false);
      return;
    }
    const group = this.groups.get(tx.privacyGroupId) ?? this.freshGroup(tx.privacyGroupId);
    record.outcome = await this.executeInGroup(group, record, block, async (gated) => {
      record.dropReason = await this.gateDrops(gated, tx, version, block);
      return record.dropReason === undefined;
    });
    this.emit(record, record.outcome === undefined, false);
  }

  private freshGroup(groupId: string): PrivateGroup {
    return PrivateGroup.fresh(groupId, this.states);
  }

  /**
   * Runs the transaction on the group's state, after the gate (if given) allows it, or takes the result
   * another node computed from the same state. Undefined when the gate dropped it.
   */
  private async executeInGroup(
    group: PrivateGroup,
    record: PrivateRecord,
    block: BlockContext,
    gate?: (group: PrivateGroup) => Promise<boolean>,
  ): Promise<PrivateOutcome | undefined> {
    const key = `${record.markerHash}:${group.headRoot}:${gate === undefined ? "replay" : "gated"}`;
    const known = this.memo.get(key);
    if (known !== undefined) {
      record.dropReason = known.dropReason;
      if (known.outcome?.status === "0x1") {
        await group.adoptRoot(known.stateRoot);
        await this.keepSuccess(group, record);
        group.members = known.members;
      }
      return known.outcome;
    }
    const outcome = await this.executeHere(group, record, block, gate);
    this.memo.set(key, { outcome, dropReason: record.dropReason, stateRoot: group.headRoot, members: group.members });
    return outcome;
  }

  private async keepSuccess(group: PrivateGroup, record: PrivateRecord): Promise<void> {
    await group.recordSuccess({ markerHash: record.markerHash, blockNumber: record.blockNumber, transactionIndex: record.transactionIndex });
    this.groups.set(group.id, group);
  }

  /**
   * Executes on this node's state. The group genesis is applied first when the group has no state here;
   * everything is kept only on success.
   */
  private async executeHere(
    group: PrivateGroup,
    record: PrivateRecord,
    block: BlockContext,
    gate?: (group: PrivateGroup) => Promise<boolean>,
  ): Promise<PrivateOutcome | undefined> {
    const state = group.stateManager;
    await state.checkpoint();
    let kept = false;
    try {
      if (group.isEmpty) await applyGroupGenesis(group.stateManager, this.genesis);
      if (gate !== undefined && !(await gate(group))) return undefined;
      const outcome = await this.execute(group, record, block);
      if (outcome.status === "0x1") {
        await state.commit();
        kept = true;
        await this.keepSuccess(group, record);
        if (mayChangeMembers(record, outcome)) group.members = decodeKeyList((await group.simulate(Selectors.getParticipants, block)).output);
      }
      return outcome;
    } finally {
      if (!kept) await state.revert();
    }
  }

  /** Besu's FlexiblePrivacyPrecompiledContract.canExecute, on the state with the genesis applied: the failed check, if any. */
  private async gateDrops(group: PrivateGroup, tx: PrivateTransaction, version: string, block: BlockContext): Promise<DropReason | undefined> {
    const isAdd = isAddParticipants(tx.to, tx.data);
    const canExecute = await group.simulate(Selectors.canExecute, block);
    const locked = isAllZero(canExecute.output);
    if (isAdd && !locked) return "unlockedForAdd";
    if (locked && tx.to !== GROUP_PROXY_ADDRESS) return "locked";
    const current = await group.simulate(Selectors.getVersion, block);
    if (current.output.length !== 66 || current.output !== version.toLowerCase()) return "versionChanged";
    const participants = await group.simulate(Selectors.getParticipants, block);
    const members = participants.ok ? decodeKeyList(participants.output) : [];
    const allowed = members.length === 0 && isAdd ? participantsFromCalldata(tx.to, tx.data) : members;
    return allowed.includes(tx.privateFrom) ? undefined : "notMember";
  }

  /** Besu's PrivateTransactionProcessor: exact nonce, value 0, unmetered, Besu's private contract address. */
  private async execute(group: PrivateGroup, record: PrivateRecord, block: BlockContext): Promise<PrivateOutcome> {
    const { tx, sender } = record;
    const state = group.stateManager;
    const senderAddress = createAddress(sender);
    const account = (await state.getAccount(senderAddress)) ?? new Account();
    if (account.nonce !== tx.nonce || tx.value !== 0n) return { status: "0x2", output: "0x", logs: [] };
    account.nonce += 1n;
    await state.putAccount(senderAddress, account);
    const createAddressOf = tx.to === null ? privateContractAddress(sender, tx.nonce, tx.privacyGroupId!) : undefined;
    const result = await group.executor.run({ caller: sender, to: tx.to, data: tx.data, createAddress: createAddressOf }, block);
    if (group.executor.lastCallTimedOut) this.logTimeout(`private transaction ${record.markerHash}`, group.id, group.executor.limits.timeoutMs);
    const returned = toHex(result.execResult.returnValue);
    if (result.execResult.exceptionError !== undefined) {
      const outcome: PrivateOutcome = { status: "0x0", output: "0x", logs: [] };
      if (returned !== "0x") outcome.revertReason = returned;
      return outcome;
    }
    const logs = (result.execResult.logs ?? []).map(([address, topics, data]) => ({
      address: toHex(address),
      topics: topics.map((topic) => toHex(topic)),
      data: toHex(data),
    }));
    return { status: "0x1", output: tx.to === null ? await deployedCode(group, createAddressOf!) : returned, logs };
  }

  /**
   * Replays the history an add blob carries (Besu's PrivateStateRehydration): every successful transaction
   * this node has not yet executed, at its original block, with its original marker hash.
   */
  private async rehydrate(blobKey: string): Promise<void> {
    const blob = this.enclave.receive(blobKey);
    if (blob === undefined) return;
    let entries: [string, string][];
    try {
      entries = decodeAddBlob(blob.payload).map(({ raw, markerHash }) => [raw, markerHash.toLowerCase()]);
    } catch {
      return;
    }
    for (const [raw, markerHash] of entries) {
      const known = this.records.get(markerHash);
      if (known?.outcome?.status === "0x1") {
        blob.parties.forEach((key) => known.visibleTo.add(key));
        continue;
      }
      const location = this.chain.locate(markerHash);
      if (location === undefined) continue;
      let tx: PrivateTransaction;
      try {
        tx = this.memo.decode(raw);
      } catch {
        continue;
      }
      if (tx.privacyGroupId === undefined) continue;
      const record: PrivateRecord = {
        markerHash,
        tx,
        sender: recoverSender(tx),
        blockNumber: location.block.number,
        blockHash: location.block.hash,
        transactionIndex: location.index,
        visibleTo: new Set([...(known?.visibleTo ?? []), ...blob.parties]),
      };
      const group = this.groups.get(tx.privacyGroupId) ?? this.freshGroup(tx.privacyGroupId);
      record.outcome = await this.executeInGroup(group, record, location.block);
      this.records.set(markerHash, record);
      this.emit(record, false, true);
    }
  }

  /**
   * priv_traceTransaction: re-runs an executed private transaction on the group's state just before it,
   * recording every frame. Empty for what this node did not execute in that group.
   */
  async traceTransaction(groupId: string, markerHash: string): Promise<object[]> {
    const record = this.records.get(markerHash);
    const group = this.groups.get(groupId);
    const block = record === undefined ? undefined : this.chain.block(record.blockNumber);
    if (record === undefined || group === undefined || block === undefined || record.tx.privacyGroupId !== groupId) return [];
    if (record.outcome === undefined || record.outcome.status === "0x2") return [];
    const rootBefore = group.stateRootBefore(record.blockNumber, record.transactionIndex);
    const executor = group.executorOn(rootBefore ?? EMPTY_TRIE_ROOT);
    if (rootBefore === undefined) await applyGroupGenesis(executor.stateManager, this.genesis);
    const { tx, sender } = record;
    const senderAddress = createAddress(sender);
    const account = (await executor.stateManager.getAccount(senderAddress)) ?? new Account();
    account.nonce += 1n;
    await executor.stateManager.putAccount(senderAddress, account);
    const createAddressOf = tx.to === null ? privateContractAddress(sender, tx.nonce, groupId) : undefined;
    const trace = await traceCall(executor, { caller: sender, to: tx.to, data: tx.data, createAddress: createAddressOf }, block, {
      blockHash: record.blockHash,
      blockNumber: record.blockNumber,
      transactionHash: markerHash,
    });
    if (executor.lastCallTimedOut) {
      this.logTimeout(`priv_traceTransaction of ${markerHash}`, groupId, executor.limits.timeoutMs);
      throw privateTimeout("priv_traceTransaction", executor.limits.timeoutMs);
    }
    return trace;
  }

  /** The one line on the node's output when a private execution runs out of time. */
  logTimeout(what: string, groupId: string, timeoutMs: number): void {
    console.error(`${this.name}: ${what} in group ${groupId} stopped at the private execution budget of ${timeoutMs} ms and failed as out of gas; ${RAISE_TIMEOUT}`);
  }

  /** The add blob for a group: its successful transactions here, each with marker hash and state root. */
  addBlob(groupId: string): Uint8Array | undefined {
    const group = this.groups.get(groupId);
    if (group === undefined || group.isEmpty) return undefined;
    return encodeAddBlob(group.entries.map((entry: GroupEntry) => ({ raw: this.records.get(entry.markerHash)!.tx.raw, ...entry })));
  }

  private emit(record: PrivateRecord, dropped: boolean, replayed: boolean): void {
    this.report({
      node: this.name,
      markerHash: record.markerHash,
      blockNumber: record.blockNumber,
      privacyGroupId: record.tx.privacyGroupId,
      sender: record.sender,
      to: record.tx.to,
      data: record.tx.data,
      status: record.outcome?.status ?? "0x0",
      dropped,
      ...(dropped && { dropReason: record.dropReason ?? "unknown" }),
      replayed,
    });
  }
}

/** Members can change only through the management contracts: a call to the proxy, or a log from 0x…7b/0x…7c. */
function mayChangeMembers(record: PrivateRecord, outcome: PrivateOutcome): boolean {
  return record.tx.to === GROUP_PROXY_ADDRESS || outcome.logs.some((log) => MANAGEMENT_ADDRESSES.has(log.address.toLowerCase()));
}

const MANAGEMENT_ADDRESSES = new Set(GROUP_ADDRESSES);

/** Besu's private contract address (the codec's), lower case as the network writes addresses. */
export function privateContractAddress(sender: string, nonce: bigint, privacyGroupId: string): string {
  return getPrivateContractAddress(sender, nonce, privacyGroupId).toLowerCase();
}

async function deployedCode(group: PrivateGroup, address: string): Promise<string> {
  return toHex(await group.stateManager.getCode(createAddress(address)));
}
