import type { AccountFields, StateManagerInterface } from "@ethereumjs/common";
import { OriginalStorageCache } from "@ethereumjs/statemanager";
import { Account, type Address, KECCAK256_RLP, bytesToUnprefixedHex, equalsBytes, unpadBytes } from "@ethereumjs/util";
import { getBytes, keccak256 } from "ethers";

/** One checkpoint's writes. A deleted account maps to undefined; a cleared storage hides the layers below. */
interface Layer {
  accounts: Map<string, Account | undefined>;
  code: Map<string, Uint8Array>;
  storage: Map<string, Map<string, Uint8Array>>;
  cleared: Set<string>;
}

const newLayer = (): Layer => ({ accounts: new Map(), code: new Map(), storage: new Map(), cleared: new Set() });

/** A read that fell through to the state below, with what it saw. */
export type BaseRead =
  | { kind: "account"; address: Address; seen: string }
  | { kind: "code"; address: Address; seen: Uint8Array }
  | { kind: "storage"; address: Address; key: Uint8Array; seen: Uint8Array };

/**
 * A throw-away layer over a group's state, for the calls whose effects are discarded (the precompile's
 * gate, the version and members reads, priv_call). Reads fall through to the group's state, which is
 * never checkpointed for them, so its caches stay warm; writes stay here until `reset()` drops them.
 * Reverting a checkpoint of the Merkle state manager instead throws away every read cached since,
 * which made each such call re-walk the trie.
 */
export class ScratchState implements StateManagerInterface {
  readonly originalStorageCache = new OriginalStorageCache(this.getStorage.bind(this));
  private layers: Layer[] = [newLayer()];
  private reads: BaseRead[] | undefined;
  /** What `reads` holds already: the state below does not change during a call, so once is enough. */
  private readonly readKeys = new Set<string>();

  constructor(private base: StateManagerInterface) {}

  /**
   * Drops every write and stops recording: the next call sees the state below as it is. Given a state,
   * the layer moves over it: one scratch layer serves every group, one call at a time.
   */
  reset(base = this.base): void {
    this.base = base;
    this.layers = [newLayer()];
    this.originalStorageCache.clear();
    this.reads = undefined;
    this.readKeys.clear();
  }

  /**
   * From now until `reset()`, notes every read that falls through to the state below. A call that read
   * nothing else (not its block either) gives the same answer as long as each of these reads would.
   */
  recordReads(): BaseRead[] {
    return (this.reads = []);
  }

  async getAccount(address: Address): Promise<Account | undefined> {
    const key = address.toString();
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const accounts = this.layers[i].accounts;
      if (accounts.has(key)) return copy(accounts.get(key));
    }
    const account = await this.base.getAccount(address);
    this.note("account " + key, () => ({ kind: "account", address, seen: observable(account) }));
    return account;
  }

  async putAccount(address: Address, account?: Account): Promise<void> {
    this.top.accounts.set(address.toString(), copy(account));
  }

  async deleteAccount(address: Address): Promise<void> {
    const key = address.toString();
    this.top.accounts.set(key, undefined);
    this.top.code.set(key, new Uint8Array(0));
    await this.clearStorage(address);
  }

  async modifyAccountFields(address: Address, fields: AccountFields): Promise<void> {
    const account = (await this.getAccount(address)) ?? new Account();
    if (fields.nonce !== undefined) account.nonce = fields.nonce;
    if (fields.balance !== undefined) account.balance = fields.balance;
    if (fields.storageRoot !== undefined) account.storageRoot = fields.storageRoot;
    if (fields.codeHash !== undefined) account.codeHash = fields.codeHash;
    await this.putAccount(address, account);
  }

  async getCode(address: Address): Promise<Uint8Array> {
    const key = address.toString();
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const code = this.layers[i].code.get(key);
      if (code !== undefined) return code;
    }
    const code = await this.base.getCode(address);
    this.note("code " + key, () => ({ kind: "code", address, seen: code }));
    return code;
  }

  async getCodeSize(address: Address): Promise<number> {
    return (await this.getCode(address)).length;
  }

  async putCode(address: Address, value: Uint8Array): Promise<void> {
    this.top.code.set(address.toString(), value);
    await this.modifyAccountFields(address, { codeHash: getBytes(keccak256(value)) });
  }

  async getStorage(address: Address, key: Uint8Array): Promise<Uint8Array> {
    const account = address.toString();
    const slot = bytesToUnprefixedHex(key);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const value = this.layers[i].storage.get(account)?.get(slot);
      if (value !== undefined) return value;
      if (this.layers[i].cleared.has(account)) return new Uint8Array(0);
    }
    const value = await this.base.getStorage(address, key);
    this.note(`storage ${account} ${slot}`, () => ({ kind: "storage", address, key: key.slice(), seen: value.slice() }));
    return value;
  }

  async putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    const account = address.toString();
    let slots = this.top.storage.get(account);
    if (slots === undefined) this.top.storage.set(account, (slots = new Map()));
    slots.set(bytesToUnprefixedHex(key), unpadBytes(value));
  }

  async clearStorage(address: Address): Promise<void> {
    const account = address.toString();
    this.top.storage.delete(account);
    this.top.cleared.add(account);
  }

  async checkpoint(): Promise<void> {
    this.layers.push(newLayer());
  }

  /** Folds the newest layer into the one below it. */
  async commit(): Promise<void> {
    const top = this.layers.pop()!;
    const below = this.top;
    for (const account of top.cleared) {
      below.storage.delete(account);
      below.cleared.add(account);
    }
    for (const [account, value] of top.accounts) below.accounts.set(account, value);
    for (const [account, code] of top.code) below.code.set(account, code);
    for (const [account, slots] of top.storage) {
      let target = below.storage.get(account);
      if (target === undefined) below.storage.set(account, (target = new Map()));
      for (const [slot, value] of slots) target.set(slot, value);
    }
  }

  async revert(): Promise<void> {
    this.layers.pop();
  }

  // A scratch layer has no root of its own: roots, copies and caches are the group state's business.
  getStateRoot(): Promise<Uint8Array> {
    return Promise.reject(new Error("ScratchState has no state root"));
  }

  setStateRoot(): Promise<void> {
    return Promise.reject(new Error("ScratchState has no state root"));
  }

  hasStateRoot(): Promise<boolean> {
    return Promise.reject(new Error("ScratchState has no state root"));
  }

  clearCaches(): void {}

  shallowCopy(): StateManagerInterface {
    throw new Error("ScratchState cannot be copied");
  }

  private note(key: string, read: () => BaseRead): void {
    if (this.reads === undefined || this.readKeys.has(key)) return;
    this.readKeys.add(key);
    this.reads.push(read());
  }

  private get top(): Layer {
    return this.layers[this.layers.length - 1];
  }
}

/** Whether `state` would answer each read as it did. */
export async function readsStillHold(state: StateManagerInterface, reads: readonly BaseRead[]): Promise<boolean> {
  for (const read of reads) {
    if (read.kind === "account") {
      if (observable(await state.getAccount(read.address)) !== read.seen) return false;
    } else if (read.kind === "code") {
      const code = await state.getCode(read.address);
      if (code !== read.seen && !equalsBytes(code, read.seen)) return false;
    } else if (!equalsBytes(await state.getStorage(read.address, read.key), read.seen)) return false;
  }
  return true;
}

/**
 * What the EVM can observe of an account: existence, nonce, balance, code hash, and whether it has
 * storage (a CREATE onto it fails, EIP-7610). Not the storage root itself: slots are reads of their own,
 * so a write to a slot the call never read leaves its answer standing.
 */
function observable(account: Account | undefined): string {
  if (account === undefined) return "none";
  const storage = equalsBytes(account.storageRoot, KECCAK256_RLP) ? "empty" : "some";
  return `${account.nonce}:${account.balance}:${bytesToUnprefixedHex(account.codeHash)}:${storage}`;
}

/** Accounts are mutable objects: each layer keeps its own, so a caller's changes never leak into a layer. */
function copy(account: Account | undefined): Account | undefined {
  return account === undefined ? undefined : new Account(account.nonce, account.balance, account.storageRoot, account.codeHash);
}
