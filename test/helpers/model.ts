import { expect } from "chai";
import {
  AbiCoder,
  ZeroAddress,
  dataLength,
  getAddress,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  type Interface,
  type Provider,
  type TransactionReceipt,
  type TransactionResponse,
} from "ethers";
import { PrivateTransactionRevertedError, decodeRevert } from "../../src/besu/errors";

/**
 * A small executable specification of a flexible privacy group, and the helpers the management
 * tests share to observe the real one: decoded events, decoded custom errors, raw getParticipants().
 */

/** Besu's getParticipants() selector. */
export const GET_PARTICIPANTS_SELECTOR = "0x5aa68ac0";

/** The canonical ABI encoding of getParticipants()'s return value, which Besu parses by fixed offsets. */
export function encodeParticipants(keys: readonly string[]): string {
  return AbiCoder.defaultAbiCoder().encode(["bytes[]"], [keys]);
}

/** getParticipants()'s raw return data, read as Besu reads it: a call from address(0). */
export async function rawParticipants(provider: Provider, group: string): Promise<string> {
  return provider.call({ from: ZeroAddress, to: group, data: GET_PARTICIPANTS_SELECTOR });
}

/** What the shared checks need of a group: the management ABI at some address, with a provider. */
interface GroupReader {
  getAddress(): Promise<string>;
  getParticipants(): Promise<string[]>;
  readonly runner: { provider: Provider | null } | null;
}

/** The group's members are `expected`, in order, and getParticipants() returns them canonically encoded. */
export async function expectParticipants(group: GroupReader, expected: readonly string[], message?: string) {
  expect([...(await group.getParticipants())], message).to.deep.equal(expected);
  const provider = group.runner?.provider;
  if (provider === null || provider === undefined) throw new Error("the group has no provider");
  expect(await rawParticipants(provider, await group.getAddress()), message).to.equal(encodeParticipants(expected));
}

/** Waits for a transaction that must succeed, returning its receipt. */
export async function mined(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt;
}

/** An event as a test compares it: its name and its decoded arguments. */
export interface DecodedEvent {
  name: string;
  args: unknown[];
}

/** Every log of `receipt`, decoded with `iface`; a log from elsewhere or that `iface` cannot decode fails. */
export function decodedEvents(receipt: TransactionReceipt, iface: Interface, emitter: string): DecodedEvent[] {
  return receipt.logs.map((log) => {
    if (getAddress(log.address) !== getAddress(emitter)) throw new Error(`unexpected log from ${log.address}`);
    const parsed = iface.parseLog(log);
    if (parsed === null) throw new Error(`undecodable log with topic ${log.topics[0]}`);
    return { name: parsed.name, args: parsed.args.toArray() };
  });
}

/** What happened to one transaction: its events, or the custom error it reverted with. */
export type Outcome = { reverted: false; events: DecodedEvent[] } | { reverted: true; error: string; args: unknown[] };

/** Sends a transaction and reports its outcome; a failure that is not a group revert is rethrown. */
export async function observe(
  send: () => Promise<TransactionResponse>,
  iface: Interface,
  emitter: string,
): Promise<Outcome> {
  let receipt: TransactionReceipt | null;
  try {
    receipt = await (await send()).wait();
  } catch (error) {
    // The SDK's decoder: a revert the group's ABIs cannot name is rethrown, failing the test.
    const decoded = decodeRevert(error);
    if (!(decoded instanceof PrivateTransactionRevertedError) || decoded.errorName === null) throw error;
    return { reverted: true, error: decoded.errorName, args: [...decoded.args] };
  }
  if (receipt === null) throw new Error("no receipt");
  return { reverted: false, events: decodedEvents(receipt, iface, emitter) };
}

/** The operations the model knows; `sender` is given separately, as a checksummed address. */
export type Operation =
  | { kind: "lock" }
  | { kind: "unlock" }
  | { kind: "addParticipants"; keys: string[] }
  | { kind: "removeParticipant"; key: string }
  | { kind: "transferOwnership"; newOwner: string }
  | { kind: "acceptOwnership" }
  | { kind: "cancelOwnershipTransfer" };

/** The calldata of `op` on the management ABI. */
export function encodeOperation(iface: Interface, op: Operation): string {
  switch (op.kind) {
    case "addParticipants":
      return iface.encodeFunctionData(op.kind, [op.keys]);
    case "removeParticipant":
      return iface.encodeFunctionData(op.kind, [op.key]);
    case "transferOwnership":
      return iface.encodeFunctionData(op.kind, [op.newOwner]);
    default:
      return iface.encodeFunctionData(op.kind, []);
  }
}

function reverts(error: string, ...args: unknown[]): Outcome {
  return { reverted: true, error, args };
}

function succeeds(...events: DecodedEvent[]): Outcome {
  return { reverted: false, events };
}

/**
 * The group as the spec describes it: members in order (removal swaps the last key into the removed
 * key's place), the owner, the pending owner, the lock, the key length fixed at creation, and a
 * counter of membership changes. apply() predicts an operation's outcome and changes the model only
 * when the operation succeeds. Keys are lowercase hex, addresses checksummed.
 */
export class GroupModel {
  participants: string[] = [];
  owner: string = ZeroAddress;
  pendingOwner: string = ZeroAddress;
  locked = false;
  keyLength = 0;
  /** Membership changes so far; getVersion() must change exactly when this does. */
  membershipChanges = 0;

  /** `contracts`: the senders that are contracts, which may never become the owner (they cannot sign). */
  constructor(private readonly contracts: ReadonlySet<string> = new Set()) {}

  get created(): boolean {
    return this.owner !== ZeroAddress;
  }

  get canExecute(): boolean {
    return this.created && !this.locked;
  }

  /** Only the owner may change the group or upgrade it (before creation nobody may). */
  isOwner(sender: string): boolean {
    return this.created && sender === this.owner;
  }

  apply(op: Operation, sender: string): Outcome {
    switch (op.kind) {
      case "addParticipants":
        return this.add(op.keys, sender);
      case "removeParticipant":
        return this.remove(op.key, sender);
      case "lock":
        if (!this.isOwner(sender)) return reverts("GroupUnauthorizedAccount", sender);
        if (this.locked) return reverts("GroupLocked");
        this.locked = true;
        return succeeds({ name: "Locked", args: [] });
      case "unlock":
        if (!this.isOwner(sender)) return reverts("GroupUnauthorizedAccount", sender);
        if (!this.locked) return reverts("GroupNotLocked");
        this.locked = false;
        return succeeds({ name: "Unlocked", args: [] });
      case "transferOwnership":
        if (!this.isOwner(sender)) return reverts("GroupUnauthorizedAccount", sender);
        if (op.newOwner === ZeroAddress || op.newOwner === this.owner) {
          return reverts("OwnershipInvalidNewOwner", op.newOwner);
        }
        this.pendingOwner = op.newOwner;
        return succeeds({ name: "OwnershipTransferStarted", args: [this.owner, op.newOwner] });
      case "acceptOwnership": {
        if (this.pendingOwner === ZeroAddress) return reverts("OwnershipNoPendingTransfer");
        if (sender !== this.pendingOwner) return reverts("GroupUnauthorizedAccount", sender);
        if (this.contracts.has(sender)) return reverts("GroupOwnerNotSigner", sender);
        const previous = this.owner;
        this.owner = this.pendingOwner;
        this.pendingOwner = ZeroAddress;
        return succeeds({ name: "OwnershipTransferred", args: [previous, this.owner] });
      }
      case "cancelOwnershipTransfer": {
        if (!this.isOwner(sender)) return reverts("GroupUnauthorizedAccount", sender);
        if (this.pendingOwner === ZeroAddress) return reverts("OwnershipNoPendingTransfer");
        const pending = this.pendingOwner;
        this.pendingOwner = ZeroAddress;
        return succeeds({ name: "OwnershipTransferCanceled", args: [sender, pending] });
      }
    }
  }

  private add(keys: string[], sender: string): Outcome {
    let keyLength = this.keyLength;
    if (!this.created) {
      if (this.contracts.has(sender)) return reverts("GroupOwnerNotSigner", sender);
      if (keys.length === 0) return reverts("GroupEmptyParticipantList");
      keyLength = dataLength(keys[0]);
      if (keyLength === 0) return reverts("ParticipantKeyEmpty", 0n);
    } else {
      if (sender !== this.owner) return reverts("GroupUnauthorizedAccount", sender);
      if (!this.locked) return reverts("GroupNotLocked");
      if (keys.length === 0) return reverts("GroupEmptyParticipantList");
    }
    for (const [i, key] of keys.entries()) {
      const length = dataLength(key);
      if (length === 0) return reverts("ParticipantKeyEmpty", BigInt(i));
      if (length !== keyLength) return reverts("ParticipantKeyLengthMismatch", key, BigInt(keyLength));
      if (this.participants.includes(key) || keys.slice(0, i).includes(key)) {
        return reverts("ParticipantAlreadyMember", key);
      }
    }
    if (!this.created) {
      this.owner = sender;
      this.keyLength = keyLength;
    }
    this.participants.push(...keys);
    this.locked = false;
    this.membershipChanges += 1;
    return succeeds(...keys.map((key) => ({ name: "ParticipantAdded", args: [true, key, ""] })));
  }

  private remove(key: string, sender: string): Outcome {
    if (!this.isOwner(sender)) return reverts("GroupUnauthorizedAccount", sender);
    if (this.locked) return reverts("GroupLocked");
    const position = this.participants.indexOf(key);
    if (position < 0) return reverts("ParticipantNotMember", key);
    if (this.participants.length === 1) return reverts("ParticipantLastMember", key);
    const last = this.participants.pop() as string;
    if (position < this.participants.length) this.participants[position] = last;
    this.membershipChanges += 1;
    return succeeds({ name: "ParticipantRemoved", args: [key] });
  }
}
