import { AbiCoder, hexlify, randomBytes as randomHex } from "ethers";
import { createAddressFromString } from "@ethereumjs/util";
import type { EnclaveNetwork } from "../chain/enclave";
import { type LogFilter, type LogResult, filterRange, groupLogs, logsBloom, parseLogFilter, receiptLog } from "../state/logs";
import { PrivateGroup, isAddParticipants, participantsFromCalldata, Selectors, ZERO_ADDRESS } from "../state/group";
import { type PrivateExecutor, toHex } from "../state/evm";
import { type PrivateTransaction, decodeRawPrivateTransaction, quantity, recoverSender } from "../chain/private-transaction";
import { type ExecutionMemo, type PrivacyNode, type PrivateRecord, privateContractAddress } from "../state/node";
import { BLOCK_GAS_LIMIT, PublicChain } from "../chain/public-chain";
import { addressParam, blockParam, dataParam, enclaveKeyParam, groupIdParam, hashParam, isObject, requireCount } from "./params";
import { Errors, RpcError, executionReverted, privateTimeout } from "./errors";
import type { SerialQueue } from "../serial-queue";
import type { RpcContext } from "./endpoint";
import type { NetworkConfig } from "../types";
import type { NetworkSnapshots } from "../state/snapshots";
import { PRIVACY_PRECOMPILE_ADDRESS } from "../../core/constants";
import { encodeVersionedPayload } from "../../core/codec";

/**
 * Who a privacy method acts for: the enclave keys whose payloads it may see. A node's own keys
 * normally; a tenant's single key under multi-tenancy (then `tenant` is true).
 */
export interface Caller {
  keys: string[];
  tenant: boolean;
  /** Multi-tenancy's rules for a transaction or receipt the keys may decrypt (the removed-tenant limits). */
  mayRead?(record: PrivateRecord): boolean;
}

/** What the privacy methods share across nodes. */
export interface NetworkCore {
  chain: PublicChain;
  queue: SerialQueue;
  enclaves: EnclaveNetwork;
  chainId: number;
  /** Decoded transactions and executions shared by the nodes until the next block is processed. */
  memo: ExecutionMemo;
  /** Processes every block mined since the last call, on every node. */
  sync(): Promise<void>;
  filterLimits: FilterLimits;
  /** evm_snapshot/evm_revert, set once the nodes exist. */
  snapshots?: NetworkSnapshots;
}

/** What bounds private filters (the config's fields of the same names). */
export type FilterLimits = Pick<NetworkConfig, "maxFiltersPerTenant" | "maxFilterAddresses" | "maxFilterTopics" | "filterTimeoutMs">;

/** A filter installed by priv_newFilter, owned by the caller's first key. */
export interface PrivateFilter {
  id: string;
  groupId: string;
  filter: LogFilter;
  ownerKey: string;
  /** The last block whose logs priv_getFilterChanges has returned. */
  lastBlock: number;
  /** When it was installed or last polled (Date.now()); an idle filter is uninstalled after filterTimeoutMs. */
  lastUsed: number;
}

const ZERO_VERSION = "0x" + "00".repeat(32);
/** The names Besu 25.5 knows but does not enable with flexible groups on, or serves only over WebSocket. */
export const DISABLED_PRIVACY_METHODS = new Set([
  "priv_createPrivacyGroup",
  "priv_deletePrivacyGroup",
  "priv_findPrivacyGroup",
  "priv_subscribe",
  "priv_unsubscribe",
]);

/**
 * The transaction of an eea_sendRawTransaction or priv_distributeRawTransaction, decoded once where the
 * request enters: the access check and the method read it, and the block that runs it takes it from the
 * memo. `error` is Besu's answer to a transaction that does not decode, thrown where the method decodes.
 */
export type DecodedSend = { tx: PrivateTransaction; error?: undefined } | { tx?: undefined; error: unknown };

const SEND_METHODS = new Set(["eea_sendRawTransaction", "priv_distributeRawTransaction"]);

/** Decodes a send's transaction; undefined for other methods and for a missing or empty params[0]. */
export function decodeSend(method: string, params: readonly unknown[]): DecodedSend | undefined {
  if (!SEND_METHODS.has(method) || typeof params[0] !== "string" || params[0].length === 0) return undefined;
  try {
    return { tx: decodeRawPrivateTransaction(params[0]) };
  } catch (error) {
    return { error };
  }
}

/** Refuses a filter (priv_newFilter, or a subscription's) that names more addresses or topics than allowed. */
export function checkFilterSize(filter: Pick<LogFilter, "addresses" | "topics">, limits: Pick<FilterLimits, "maxFilterAddresses" | "maxFilterTopics">): void {
  if (filter.addresses.length > limits.maxFilterAddresses) {
    throw Errors.filterTooLarge("addresses", filter.addresses.length, limits.maxFilterAddresses);
  }
  const topics = filter.topics.reduce((sum, position) => sum + (position?.length ?? 0), 0);
  if (topics > limits.maxFilterTopics) throw Errors.filterTooLarge("topics", topics, limits.maxFilterTopics);
}

type Handler = (params: unknown[], caller: Caller, send: DecodedSend | undefined) => Promise<unknown>;

/** Besu 25.5's priv_, privx_ and eea_ methods for flexible groups, on one node. */
export class PrivacyApi {
  readonly filters = new Map<string, PrivateFilter>();
  private readonly handlers: Record<string, Handler>;

  constructor(
    readonly node: PrivacyNode,
    private readonly core: NetworkCore,
  ) {
    this.handlers = {
      eea_sendRawTransaction: (_params, caller, send) => this.sendRawTransaction(send, caller, false),
      priv_distributeRawTransaction: (_params, caller, send) => this.sendRawTransaction(send, caller, true),
      priv_getTransactionCount: (params) => this.getTransactionCount(params),
      priv_getEeaTransactionCount: (params, caller) => this.getEeaTransactionCount(params, caller),
      priv_call: (params) => this.call(params),
      priv_getCode: (params) => this.getCode(params),
      priv_getLogs: (params) => this.getLogs(params),
      priv_newFilter: (params, caller) => this.newFilter(params, caller),
      priv_getFilterChanges: (params) => this.getFilterChanges(params),
      priv_getFilterLogs: (params) => this.getFilterLogs(params),
      priv_uninstallFilter: (params) => this.uninstallFilter(params),
      priv_getPrivateTransaction: (params, caller) => this.getPrivateTransaction(params, caller),
      priv_getTransactionReceipt: (params, caller) => this.getTransactionReceipt(params, caller),
      priv_getPrivacyPrecompileAddress: async () => PRIVACY_PRECOMPILE_ADDRESS,
      priv_debugGetStateRoot: (params) => this.debugGetStateRoot(params),
      priv_traceTransaction: (params) => this.node.traceTransaction(groupIdParam(params[0]), hashParam(params[1])),
      privx_findFlexiblePrivacyGroup: (params, caller) => this.findFlexiblePrivacyGroup(params, caller),
      privx_findOnchainPrivacyGroup: (params, caller) => this.findFlexiblePrivacyGroup(params, caller),
    };
  }

  handles(method: string): boolean {
    return Object.hasOwn(this.handlers, method);
  }

  /**
   * Runs a privacy method in the queue, between block-processing tasks: every path that mines (a send, the
   * interval timer) processes its blocks in its own task, so the state seen here is always up to date.
   */
  handle(context: RpcContext, caller: Caller, checkAccess?: () => Promise<unknown[]>): Promise<unknown> {
    return this.core.queue.run(async () => {
      const allowedParams = checkAccess === undefined ? context.params : await checkAccess();
      return this.handlers[context.method](allowedParams, caller, context.send);
    });
  }

  private get head(): number {
    return this.core.chain.head;
  }

  // --- sending -------------------------------------------------------------------------------------

  /** eea_sendRawTransaction and priv_distributeRawTransaction: Besu's checks, in Besu's order. */
  private async sendRawTransaction(send: DecodedSend | undefined, caller: Caller, distributeOnly: boolean): Promise<string> {
    if (send === undefined) throw Errors.invalidTransactionParams();
    const { tx } = send;
    if (tx === undefined) throw send.error;
    if (distributeOnly && !caller.keys.includes(tx.privateFrom)) throw Errors.privateFromMismatch();
    if (!distributeOnly && tx.restriction !== "restricted") throw Errors.unsupportedPrivateTxType();
    const group = tx.privacyGroupId === undefined ? undefined : this.node.groups.get(tx.privacyGroupId);
    const isAdd = isAddParticipants(tx.to, tx.data);
    const newKeys = participantsFromCalldata(tx.to, tx.data);
    if (caller.tenant && group !== undefined) {
      const key = caller.keys[0];
      const allowed = group.members.includes(key) || (!distributeOnly && newKeys.includes(key));
      if (!allowed) throw Errors.enclave();
    }
    if (tx.value !== 0n) throw Errors.internal();
    if (tx.chainId !== undefined && tx.chainId !== BigInt(this.core.chainId)) throw Errors.wrongChainId();
    const sender = recoverSender(tx);
    if (tx.privacyGroupId !== undefined && tx.nonce < (await this.nonceAtHead(tx.privacyGroupId, sender))) throw Errors.nonceTooLow();
    if (tx.privacyGroupId === undefined) throw Errors.groupIdRequired();
    if (group === undefined && !isAdd) throw Errors.groupDoesNotExist();
    const recipients = [...new Set([...(group?.members ?? []), ...newKeys])];
    if (!distributeOnly && !caller.keys.some((key) => recipients.includes(key))) throw Errors.groupDoesNotExist();

    const version = group === undefined ? ZERO_VERSION : await this.versionAtHead(group);
    const from = tx.privateFrom;
    const payloadKey = this.core.enclaves.send(this.node.enclave, encodeVersionedPayload(tx.raw, version), from, recipients);
    let data = base64ToHex(payloadKey);
    const blob = isAdd ? this.node.addBlob(tx.privacyGroupId) : undefined;
    if (blob !== undefined) data += base64ToHex(this.core.enclaves.send(this.node.enclave, blob, from, newKeys)).slice(2);
    if (distributeOnly) return data;

    if (markerIntrinsicGas(data) > tx.gasLimit) throw Errors.markerGasTooLow();
    if (tx.gasLimit > BigInt(BLOCK_GAS_LIMIT)) throw Errors.exceedsBlockGasLimit();
    const marker = PublicChain.signMarker(data, tx.gasPrice, tx.gasLimit);
    let hash: string;
    try {
      hash = (await this.core.chain.provider.request({ method: "eth_sendRawTransaction", params: [marker] })) as string;
    } catch (cause) {
      throw markerRejection(cause);
    }
    this.core.memo.remember(tx);
    if (this.core.chain.minesOnSend) await this.core.sync();
    return hash;
  }

  private async nonceAtHead(groupId: string, address: string): Promise<bigint> {
    const group = this.node.groups.get(groupId);
    if (group === undefined) return 0n;
    const account = await group.stateManager.getAccount(createAddressFromString(address));
    return account?.nonce ?? 0n;
  }

  /** getVersion() simulated at the chain head, as Besu captures it when sending. */
  private async versionAtHead(group: PrivateGroup): Promise<string> {
    const result = await group.simulate(Selectors.getVersion, this.blockContext(this.head));
    return result.output.length === 66 ? result.output : ZERO_VERSION;
  }

  private blockContext(blockNumber: number) {
    return this.core.chain.block(blockNumber)!;
  }

  // --- nonces --------------------------------------------------------------------------------------

  private async getTransactionCount(params: unknown[]): Promise<string> {
    requireCount(params, 2);
    const address = addressParam(params[0]);
    const groupId = groupIdParam(params[1]);
    try {
      return quantity(await this.nonceAtHead(groupId, address));
    } catch {
      throw Errors.nonceUnknown();
    }
  }

  /** Legacy (EEA) groups never exist on this network, so their nonce is always 0. */
  private async getEeaTransactionCount(params: unknown[], caller: Caller): Promise<string> {
    requireCount(params, 3);
    addressParam(params[0]);
    const privateFrom = enclaveKeyParam(params[1], Errors.invalidPrivateFromParams);
    if (!Array.isArray(params[2])) throw Errors.invalidPrivateForParams();
    params[2].forEach((key) => enclaveKeyParam(key, Errors.invalidPrivateForParams));
    if (!caller.keys.includes(privateFrom)) throw Errors.privateFromMismatch();
    return "0x0";
  }

  // --- state reads ---------------------------------------------------------------------------------

  /** The group's state as of a block on this node: undefined before the group existed here. */
  private async executorAt(groupId: string, blockNumber: number): Promise<PrivateExecutor | undefined> {
    return this.node.groups.get(groupId)?.executorAt(blockNumber);
  }

  private async call(params: unknown[]): Promise<string | null> {
    const groupId = groupIdParam(params[0]);
    const callObject = params[1];
    if (!isObject(callObject) || callObject.to === undefined || callObject.to === null) throw Errors.invalidCallParams();
    const to = addressParam(callObject.to, Errors.invalidCallParams);
    const from = callObject.from === undefined || callObject.from === null ? ZERO_ADDRESS : addressParam(callObject.from, Errors.invalidCallParams);
    const data = dataParam(callObject.data ?? callObject.input, Errors.invalidCallParams);
    if (params.length < 3) throw Errors.invalidBlockParams();
    const blockNumber = blockParam(params[2], this.head);
    if (blockNumber === undefined) return null;
    const executor = await this.executorAt(groupId, blockNumber);
    if (executor === undefined) return "0x";
    // The call's gas (callObject.gas) is not read: as in Besu, where private execution is unmetered, every call gets the same.
    const result = await executor.run({ caller: from, to, data }, this.blockContext(blockNumber));
    if (executor.lastCallTimedOut) {
      this.node.logTimeout("priv_call", groupId, executor.limits.timeoutMs);
      throw privateTimeout("priv_call", executor.limits.timeoutMs);
    }
    const output = toHex(result.execResult.returnValue);
    if (result.execResult.exceptionError === undefined) return output;
    if (output.length >= 10) throw executionReverted(output, decodeRevertReason(output));
    throw Errors.privateTransactionFailed();
  }

  private async getCode(params: unknown[]): Promise<string | null> {
    const groupId = groupIdParam(params[0]);
    const address = addressParam(params[1]);
    const blockNumber = blockParam(params[2], this.head);
    if (blockNumber === undefined) return null;
    const executor = await this.executorAt(groupId, blockNumber);
    if (executor === undefined) return null;
    const target = createAddressFromString(address);
    if ((await executor.stateManager.getAccount(target)) === undefined) return null;
    return toHex(await executor.stateManager.getCode(target));
  }

  private async debugGetStateRoot(params: unknown[]): Promise<string> {
    const groupId = groupIdParam(params[0]);
    const group = this.node.groups.get(groupId);
    const blockNumber = blockParam(params[1], this.head);
    if (group === undefined) throw Errors.findPrivacyGroup();
    if (blockNumber === undefined) throw Errors.internal();
    return group.rootAt(blockNumber);
  }

  // --- logs and filters ----------------------------------------------------------------------------

  private logs(groupId: string, filter: LogFilter, range?: [number, number]): LogResult[] {
    const resolved = range ?? filterRange(filter, this.head, (hash) => this.core.chain.blockByHash(hash)?.number);
    return groupLogs(this.node, groupId, resolved, filter);
  }

  private async getLogs(params: unknown[]): Promise<LogResult[]> {
    const groupId = groupIdParam(params[0]);
    return this.logs(groupId, parseLogFilter(params[1]));
  }

  private async newFilter(params: unknown[], caller: Caller): Promise<string> {
    const groupId = groupIdParam(params[0]);
    const filter = parseLogFilter(params[1]);
    const limits = this.core.filterLimits;
    checkFilterSize(filter, limits);
    this.expireIdleFilters();
    const ownerKey = caller.keys[0];
    const owned = [...this.filters.values()].filter((installed) => installed.ownerKey === ownerKey).length;
    if (owned >= limits.maxFiltersPerTenant) throw Errors.tooManyFilters(limits.maxFiltersPerTenant);
    const id = hexlify(randomHex(16));
    this.filters.set(id, { id, groupId, filter, ownerKey, lastBlock: this.head, lastUsed: Date.now() });
    return id;
  }

  /** Uninstalls the filters nobody polled for filterTimeoutMs, as Besu does. */
  private expireIdleFilters(): void {
    const oldest = Date.now() - this.core.filterLimits.filterTimeoutMs;
    for (const [id, installed] of this.filters) if (installed.lastUsed < oldest) this.filters.delete(id);
  }

  private filterParam(params: unknown[]): string {
    groupIdParam(params[0]);
    if (typeof params[1] !== "string") throw Errors.invalidIdParams();
    return params[1].toLowerCase();
  }

  /** The filter the params name, unless it expired; using it keeps it alive. */
  private usedFilter(params: unknown[]): PrivateFilter | undefined {
    const id = this.filterParam(params);
    this.expireIdleFilters();
    const installed = this.filters.get(id);
    if (installed !== undefined) installed.lastUsed = Date.now();
    return installed;
  }

  private async getFilterChanges(params: unknown[]): Promise<LogResult[]> {
    const installed = this.usedFilter(params);
    if (installed === undefined) throw Errors.filterNotFound();
    const from = installed.lastBlock + 1;
    installed.lastBlock = this.head;
    const range = filterRange(installed.filter, this.head, (hash) => this.core.chain.blockByHash(hash)?.number);
    if (range === undefined || from > this.head) return [];
    return this.logs(installed.groupId, installed.filter, [Math.max(range[0], from), range[1]]);
  }

  private async getFilterLogs(params: unknown[]): Promise<LogResult[]> {
    const installed = this.usedFilter(params);
    if (installed === undefined) throw Errors.logsFilterNotFound();
    return this.logs(installed.groupId, installed.filter);
  }

  private async uninstallFilter(params: unknown[]): Promise<boolean> {
    const id = this.filterParam(params);
    this.expireIdleFilters();
    return this.filters.delete(id);
  }

  // --- transactions and receipts -------------------------------------------------------------------

  /** The record of a marker transaction, if this node has it and the caller's keys may see it. */
  private visibleRecord(params: unknown[], caller: Caller): PrivateRecord | undefined {
    const markerHash = hashParam(params[0]);
    const record = this.node.records.get(markerHash);
    if (record === undefined || !caller.keys.some((key) => record.visibleTo.has(key))) return undefined;
    if (caller.mayRead?.(record) === false) return undefined;
    return record;
  }

  private async getPrivateTransaction(params: unknown[], caller: Caller): Promise<object | null> {
    const record = this.visibleRecord(params, caller);
    if (record === undefined) return null;
    const { tx } = record;
    return {
      from: record.sender,
      gas: quantity(tx.gasLimit),
      gasPrice: quantity(tx.gasPrice),
      input: tx.data,
      nonce: quantity(tx.nonce),
      to: tx.to,
      value: quantity(tx.value),
      v: quantity(tx.v),
      r: quantity(tx.r),
      s: quantity(tx.s),
      privateFrom: tx.privateFrom,
      privacyGroupId: tx.privacyGroupId,
      restriction: tx.restriction,
    };
  }

  private async getTransactionReceipt(params: unknown[], caller: Caller): Promise<object | null> {
    const record = this.visibleRecord(params, caller);
    if (record === undefined) return null;
    const { tx } = record;
    const outcome = record.outcome ?? { status: "0x0", output: "0x", logs: [] };
    const receipt: Record<string, unknown> = {};
    if (tx.to === null && tx.privacyGroupId !== undefined) receipt.contractAddress = privateContractAddress(record.sender, tx.nonce, tx.privacyGroupId);
    receipt.from = record.sender;
    if (tx.to !== null) receipt.to = tx.to;
    receipt.output = outcome.output;
    receipt.commitmentHash = record.markerHash;
    receipt.privateFrom = tx.privateFrom;
    receipt.privacyGroupId = tx.privacyGroupId;
    receipt.status = outcome.status;
    if (outcome.revertReason !== undefined) receipt.revertReason = outcome.revertReason;
    receipt.logs = outcome.logs.map((log, index) => receiptLog(log, record, index));
    receipt.logsBloom = logsBloom(outcome.logs);
    receipt.blockHash = record.blockHash;
    receipt.blockNumber = quantity(record.blockNumber);
    receipt.transactionIndex = quantity(record.transactionIndex);
    return receipt;
  }

  // --- groups --------------------------------------------------------------------------------------

  private async findFlexiblePrivacyGroup(params: unknown[], caller: Caller): Promise<object[]> {
    if (!Array.isArray(params[0])) throw Errors.invalidParams();
    const keys = params[0].map((key) => enclaveKeyParam(key, Errors.invalidParams));
    if (caller.tenant && !keys.includes(caller.keys[0])) throw Errors.findFlexiblePrivacyGroup();
    const found: object[] = [];
    for (const group of this.node.groups.values()) {
      if (keys.every((key) => group.members.includes(key))) {
        found.push({ privacyGroupId: group.id, name: "", description: "", type: "FLEXIBLE", members: [...group.members] });
      }
    }
    return found;
  }
}

/** Exactly sized bytes (a small Buffer would pin an 8 KB pool slab for as long as the enclave keeps it). */

function base64ToHex(key: string): string {
  return "0x" + Buffer.from(key, "base64").toString("hex");
}

/** Intrinsic gas of a marker transaction at Prague: calldata cost, or the EIP-7623 floor if higher. */
export function markerIntrinsicGas(data: string): bigint {
  const bytes = Buffer.from(data.slice(2), "hex");
  const zeros = bytes.filter((byte) => byte === 0).length;
  const nonZeros = bytes.length - zeros;
  const standard = 21000 + 4 * zeros + 16 * nonZeros;
  const floor = 21000 + 10 * (zeros + 4 * nonZeros);
  return BigInt(Math.max(standard, floor));
}

/** The transaction pool's refusal of a marker transaction, as Besu names it. */
function markerRejection(cause: unknown): RpcError {
  const message = cause instanceof Error ? cause.message : String(cause);
  if (/enough funds|insufficient funds/i.test(message)) return Errors.upfrontCost();
  if (/exceeds block gas limit/i.test(message)) return Errors.exceedsBlockGasLimit();
  if (/known transaction|already/i.test(message)) return Errors.knownTransaction();
  return Errors.internal();
}

const ERROR_STRING_SELECTOR = "0x08c379a0";

/** The reason of an Error(string) revert, as Besu decodes it for priv_call. */
export function decodeRevertReason(data: string): string | undefined {
  if (!data.startsWith(ERROR_STRING_SELECTOR)) return undefined;
  try {
    return AbiCoder.defaultAbiCoder().decode(["string"], "0x" + data.slice(10))[0] as string;
  } catch {
    return "ABI decode error";
  }
}

