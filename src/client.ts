import { ErrorFragment, Interface, type ContractTransactionReceipt, type ContractTransactionResponse, type Signer } from "ethers";
import {
  FlexiblePrivacyGroupManagement__factory,
  FlexiblePrivacyGroupProxy__factory,
  type FlexiblePrivacyGroupManagement,
  type FlexiblePrivacyGroupProxy,
} from "./typechain";
import { membershipHistoryFromLogs, type MembershipChange } from "./core/history";
import { bytesToTesseraKey, tesseraKeyToBytes } from "./core/keys";
import { GROUP_PROXY_ADDRESS } from "./core/constants";


/** Every custom error the group can revert with: the management contract's and the proxy's. */
const groupErrors = new Interface(
  [FlexiblePrivacyGroupManagement__factory.abi, FlexiblePrivacyGroupProxy__factory.abi]
    .flat()
    .filter((fragment) => fragment.type === "error")
    .map((fragment) => ErrorFragment.from(fragment)),
);

/** A revert of the group's contracts; `name` is the contract's custom error, e.g. "GroupNotLocked". */
export class GroupRevertError extends Error {
  constructor(
    readonly errorName: string,
    readonly args: readonly unknown[],
    readonly data: string,
    options?: { cause?: unknown },
  ) {
    super(`the group reverted with ${errorName}(${args.map(String).join(", ")})`, options);
    this.name = errorName;
  }
}

/** addMembers failed after locking; `unlocked` says whether the group was unlocked again. */
export class AddMembersError extends Error {
  constructor(
    readonly cause: unknown,
    readonly unlocked: boolean,
    readonly unlockError?: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      unlocked
        ? `adding members failed (${reason}); the group was unlocked again`
        : `adding members failed (${reason}) and unlocking failed too: the group is still locked`,
      { cause },
    );
    this.name = "AddMembersError";
  }
}

/** Finds revert data in an ethers or Hardhat error, however deeply the provider nested it. */
function revertData(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === "object" && depth < 5; ++depth) {
    const { data } = e as { data?: unknown };
    if (typeof data === "string" && data.startsWith("0x") && data.length >= 10) return data;
    e = (e as { error?: unknown; info?: { error?: unknown } }).error ?? (e as { info?: { error?: unknown } }).info?.error;
  }
  return undefined;
}

/** Turns a revert with one of the group's custom errors into a GroupRevertError; rethrows anything else. */
export function decodeGroupError(error: unknown): unknown {
  const data = revertData(error);
  const parsed = data === undefined ? null : groupErrors.parseError(data);
  return parsed === null || data === undefined ? error : new GroupRevertError(parsed.name, [...parsed.args], data, { cause: error });
}

/**
 * A typed client of one flexible privacy group, through its proxy. Keys are Tessera base64 strings.
 * On Besu, send through a signer that wraps private transactions; on any EVM chain, a plain signer.
 */
export class PrivacyGroupClient {
  readonly management: FlexiblePrivacyGroupManagement;
  readonly proxy: FlexiblePrivacyGroupProxy;

  constructor(signer: Signer, proxyAddress: string = GROUP_PROXY_ADDRESS) {
    this.management = FlexiblePrivacyGroupManagement__factory.connect(proxyAddress, signer);
    this.proxy = FlexiblePrivacyGroupProxy__factory.connect(proxyAddress, signer);
  }

  /** Creates the group with these members; the signer becomes its owner. */
  create(keys: readonly string[]): Promise<ContractTransactionReceipt> {
    return this.send(() => this.management.addParticipants(keys.map(tesseraKeyToBytes)));
  }

  /**
   * Locks the group and adds members. If the add fails, unlocks the group again and throws an
   * AddMembersError whose cause is the add's error, so a group is never left locked by this call.
   */
  async addMembers(keys: readonly string[]): Promise<ContractTransactionReceipt> {
    const encoded = keys.map(tesseraKeyToBytes);
    await this.lock();
    try {
      return await this.send(() => this.management.addParticipants(encoded));
    } catch (addError) {
      try {
        await this.unlock();
      } catch (unlockError) {
        throw new AddMembersError(addError, false, unlockError);
      }
      throw new AddMembersError(addError, true);
    }
  }

  removeMember(key: string): Promise<ContractTransactionReceipt> {
    return this.send(() => this.management.removeParticipant(tesseraKeyToBytes(key)));
  }

  lock(): Promise<ContractTransactionReceipt> {
    return this.send(() => this.management.lock());
  }

  unlock(): Promise<ContractTransactionReceipt> {
    return this.send(() => this.management.unlock());
  }

  upgrade(newImplementation: string): Promise<ContractTransactionReceipt> {
    return this.send(() => this.proxy.upgradeTo(newImplementation));
  }

  transferOwnership(newOwner: string): Promise<ContractTransactionReceipt> {
    return this.send(() => this.management.transferOwnership(newOwner));
  }

  acceptOwnership(): Promise<ContractTransactionReceipt> {
    return this.send(() => this.management.acceptOwnership());
  }

  cancelOwnershipTransfer(): Promise<ContractTransactionReceipt> {
    return this.send(() => this.management.cancelOwnershipTransfer());
  }

  /** The members as Tessera base64 keys. */
  async participants(): Promise<string[]> {
    return (await this.management.getParticipants()).map((key) => bytesToTesseraKey(key));
  }

  version(): Promise<string> {
    return this.management.getVersion();
  }

  canExecute(): Promise<boolean> {
    return this.management.canExecute();
  }

  owner(): Promise<string> {
    return this.management.owner();
  }

  /** Every membership change the group logged in the block range, in chain order. */
  async history(fromBlock: number = 0, toBlock: number | "latest" = "latest"): Promise<MembershipChange[]> {
    const provider = this.management.runner?.provider;
    if (!provider) throw new Error("the client's signer has no provider to read logs with");
    const address = await this.management.getAddress();
    const logs = await provider.getLogs({ address, fromBlock, toBlock });
    return membershipHistoryFromLogs(logs, { groupAddresses: [address] });
  }

  /** Sends, waits for the receipt, and names any revert after the contract's custom error. */
  private async send(transaction: () => Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
    try {
      const receipt = await (await transaction()).wait();
      // A private transaction that Besu drops has no receipt: report it instead of returning null.
      if (receipt === null) throw new Error("the transaction has no receipt (dropped?)");
      return receipt;
    } catch (error) {
      throw decodeGroupError(error);
    }
  }
}
