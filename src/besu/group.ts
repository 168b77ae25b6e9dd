import { AbiCoder, BaseContract, type ContractFactory, type TransactionResponse, Interface, getAddress } from "ethers";
// File by file, not the typechain-types barrel, so a build ships only the shipped contracts' bindings.
import { FlexiblePrivacyGroupManagement__factory } from "../../typechain-types/factories/contracts/management/FlexiblePrivacyGroupManagement__factory";
import { FlexiblePrivacyGroupProxy__factory } from "../../typechain-types/factories/contracts/proxy/FlexiblePrivacyGroupProxy__factory";
import { AddMembersError } from "../client";
import { GROUP_PROXY_ADDRESS } from "../core/constants";
import { generatePrivacyGroupId, parsePrivacyGroupId } from "../core/ids";
import { membershipEventsInterface, membershipHistoryFromLogs, type MembershipChange } from "../core/history";
import { bytesToTesseraKey, tesseraKeyToBytes } from "../core/keys";
import { BesuErrorCode, PrivateTransactionFailedError } from "./errors";
import type { PrivacyGroupInfo, PrivacyProvider, PrivateLogFilter, PrivateTransactionReceipt } from "./provider";
import { PrivateGroupRunner, decodeRevert, getPrivateContractAddress } from "./runner";
import type { PrivateSigner, PrivateTransactionRequest } from "./signer";

/** The management and proxy ABI, with this project's custom errors; Besu's contracts share the 10 functions. */
const GROUP_INTERFACE = new Interface([
  ...FlexiblePrivacyGroupManagement__factory.abi,
  ...FlexiblePrivacyGroupProxy__factory.abi.filter(
    (fragment) => fragment.type === "function" || fragment.type === "error",
  ),
]);

const MEMBERSHIP_TOPICS = ["ParticipantAdded", "ParticipantRemoved"].map(
  (name) => membershipEventsInterface.getEvent(name)!.topicHash,
);

type DeployArgs<F extends ContractFactory> = Parameters<F["getDeployTransaction"]>;
/** The typed contract a TypeChain factory deploys. */
type Deployed<F extends ContractFactory> = Awaited<ReturnType<F["deploy"]>>;
type Attached<F extends ContractFactory> = Omit<Deployed<F>, "deploymentTransaction"> & BaseContract;

/**
 * A flexible privacy group on Besu 25.5, driven by one PrivateSigner. Works with this project's management
 * contract and with Besu's default one (which returns false instead of reverting, and copies members on upgrade).
 */
export class FlexiblePrivacyGroup {
  readonly privacyGroupId: string;
  readonly signer: PrivateSigner;
  /** An ethers ContractRunner: connect TypeChain contracts to it to use them inside the group. */
  readonly runner: PrivateGroupRunner;

  private constructor(signer: PrivateSigner, privacyGroupId: string) {
    parsePrivacyGroupId(privacyGroupId);
    this.signer = signer;
    this.privacyGroupId = privacyGroupId;
    this.runner = new PrivateGroupRunner(signer, privacyGroupId);
    this.runner.provider.registerInterface(GROUP_INTERFACE);
  }

  get provider(): PrivacyProvider {
    return this.signer.provider;
  }

  /**
   * Creates a group whose members are `participants` (base64 enclave keys, the signer's own included) and whose
   * owner is the signer's account. The ID is a fresh random one unless given.
   */
  static async create(
    signer: PrivateSigner,
    participants: readonly string[],
    options: { id?: string } = {},
  ): Promise<FlexiblePrivacyGroup> {
    const group = new FlexiblePrivacyGroup(signer, options.id ?? generatePrivacyGroupId());
    await group.#manage(
      GROUP_INTERFACE.encodeFunctionData("addParticipants", [participants.map(tesseraKeyToBytes)]),
      "addParticipants",
    );
    return group;
  }

  /** The groups the provider's node knows whose members include all `keys` (privx_findFlexiblePrivacyGroup). */
  static find(provider: PrivacyProvider, keys: readonly string[]): Promise<PrivacyGroupInfo[]> {
    return provider.findFlexiblePrivacyGroups(keys);
  }

  /** An existing group, to read and change as `signer`. */
  static at(signer: PrivateSigner, privacyGroupId: string): FlexiblePrivacyGroup {
    return new FlexiblePrivacyGroup(signer, privacyGroupId);
  }

  /** The members as base64 enclave keys; [] if this node has no state for the group. */
  async members(blockTag: string | number = "latest"): Promise<string[]> {
    const result = await this.#read("getParticipants", blockTag);
    if (result === null) return [];
    return (result[0] as string[]).map((key) => bytesToTesseraKey(key));
  }

  /** The group's version (changes with every membership change); null without group state. */
  async version(blockTag: string | number = "latest"): Promise<string | null> {
    const result = await this.#read("getVersion", blockTag);
    return result === null ? null : String(result[0]);
  }

  /** Whether ordinary private transactions run (created and unlocked). */
  async canExecute(blockTag: string | number = "latest"): Promise<boolean> {
    const result = await this.#read("canExecute", blockTag);
    return result !== null && result[0] === true;
  }

  /** The management contract the proxy uses. */
  async implementation(blockTag: string | number = "latest"): Promise<string | null> {
    const result = await this.#read("implementation", blockTag);
    return result === null ? null : getAddress(String(result[0]));
  }

  /**
   * The owner. This project's contract answers owner(); Besu's default has no such function, and its owner is the
   * signer of the creating transaction, read from the group's first ParticipantAdded log.
   */
  async owner(): Promise<string | null> {
    try {
      const result = await this.#read("owner", "latest");
      if (result !== null) return getAddress(String(result[0]));
    } catch {
      // Besu's default contract: no owner() to call
    }
    const [first] = await this.#membershipLogs({});
    if (first === undefined) return null;
    const creation = await this.provider.getPrivateTransaction(first.transactionHash);
    return creation === null ? null : creation.from;
  }

  /**
   * Locks the group and adds `keys`. If the add fails or is dropped, unlocks the group again (when it is still
   * locked) and throws AddMembersError with the add's error as cause, so this call never leaves the group locked.
   */
  async addMembers(keys: readonly string[]): Promise<PrivateTransactionReceipt> {
    const data = GROUP_INTERFACE.encodeFunctionData("addParticipants", [keys.map(tesseraKeyToBytes)]);
    await this.lock();
    try {
      return await this.#manage(data, "addParticipants");
    } catch (addError) {
      try {
        if (!(await this.canExecute())) await this.unlock();
      } catch (unlockError) {
        throw new AddMembersError(addError, false, unlockError);
      }
      throw new AddMembersError(addError, true);
    }
  }

  removeMember(key: string): Promise<PrivateTransactionReceipt> {
    return this.#manage(
      GROUP_INTERFACE.encodeFunctionData("removeParticipant", [tesseraKeyToBytes(key)]),
      "removeParticipant",
    );
  }

  lock(): Promise<PrivateTransactionReceipt> {
    return this.#manage(GROUP_INTERFACE.encodeFunctionData("lock"), "lock");
  }

  unlock(): Promise<PrivateTransactionReceipt> {
    return this.#manage(GROUP_INTERFACE.encodeFunctionData("unlock"), "unlock");
  }

  /** Points the proxy at another management contract (deployed privately in this group). */
  upgradeTo(implementation: string): Promise<PrivateTransactionReceipt> {
    return this.#manage(GROUP_INTERFACE.encodeFunctionData("upgradeTo", [getAddress(implementation)]), "upgradeTo");
  }

  /** Deploys a custom management contract privately in the group, then upgrades the group to it. */
  async deployManagement<F extends ContractFactory>(factory: F, ...args: DeployArgs<F>): Promise<Deployed<F>> {
    const management = await this.deploy(factory, ...args);
    await this.upgradeTo(await management.getAddress());
    return management;
  }

  transferOwnership(newOwner: string): Promise<PrivateTransactionReceipt> {
    return this.#manage(
      GROUP_INTERFACE.encodeFunctionData("transferOwnership", [getAddress(newOwner)]),
      "transferOwnership",
    );
  }

  acceptOwnership(): Promise<PrivateTransactionReceipt> {
    return this.#manage(GROUP_INTERFACE.encodeFunctionData("acceptOwnership"), "acceptOwnership");
  }

  cancelOwnershipTransfer(): Promise<PrivateTransactionReceipt> {
    return this.#manage(GROUP_INTERFACE.encodeFunctionData("cancelOwnershipTransfer"), "cancelOwnershipTransfer");
  }

  /** Every membership change, in chain order, from priv_getLogs: ready for decideAccess. */
  async history(filter: Pick<PrivateLogFilter, "fromBlock" | "toBlock"> = {}): Promise<MembershipChange[]> {
    return membershipHistoryFromLogs(await this.#membershipLogs(filter));
  }

  /**
   * Deploys a contract privately in the group with a TypeChain factory (or any ethers ContractFactory) and
   * returns it, typed, at Besu's private contract address, connected to the group's runner. Resolves once
   * deployed; a revert throws the constructor's decoded error. (ethers' own `factory.deploy()` would compute
   * the public CREATE address, which a private contract does not have.)
   */
  async deploy<F extends ContractFactory>(factory: F, ...args: DeployArgs<F>): Promise<Deployed<F>> {
    this.runner.provider.registerInterface(factory.interface);
    const response = await this.runner.sendTransaction(await factory.getDeployTransaction(...args));
    const receipt = await response.wait(); // the private outcome: throws the decoded revert or a drop
    const address = receipt?.contractAddress ?? (await this.#creationAddress(response.hash));
    return new BaseContract(address, factory.interface, this.runner, response) as unknown as Deployed<F>;
  }

  /** A contract at `address` in this group, connected to the runner; its custom errors decode reverts. */
  attach<F extends ContractFactory>(factory: F, address: string): Attached<F> {
    this.runner.provider.registerInterface(factory.interface);
    return new BaseContract(getAddress(address), factory.interface, this.runner) as unknown as Attached<F>;
  }

  /** Waits for a transaction a contract connected to the runner sent, and returns its private receipt. */
  async privateReceipt(response: TransactionResponse): Promise<PrivateTransactionReceipt> {
    // The hash of the attempt that landed: a re-sent transaction has another marker than the first.
    const markerHash = (await response.wait())?.hash ?? response.hash;
    const receipt = await this.provider.getPrivateTransactionReceipt(markerHash);
    if (receipt === null) {
      throw new PrivateTransactionFailedError(
        BesuErrorCode.ReceiptUnavailable,
        `no private receipt for ${markerHash}`,
        markerHash,
      );
    }
    return receipt;
  }

  /** Besu's formula, for a node whose receipt leaves out contractAddress. */
  async #creationAddress(markerHash: string): Promise<string> {
    const creation = await this.provider.getPrivateTransaction(markerHash);
    if (creation === null)
      throw new PrivateTransactionFailedError(
        BesuErrorCode.ReceiptUnavailable,
        `cannot read the deployment ${markerHash}`,
        markerHash,
      );
    return getPrivateContractAddress(creation.from, creation.nonce, this.privacyGroupId);
  }

  async #read(method: string, blockTag: string | number): Promise<readonly unknown[] | null> {
    const output = await this.provider.privCall(
      this.privacyGroupId,
      {
        to: GROUP_PROXY_ADDRESS,
        data: GROUP_INTERFACE.encodeFunctionData(method),
        from: await this.signer.getAddress(),
      },
      blockTag,
    );
    if (output === "0x") return null; // no group state on this node (or no such function)
    return GROUP_INTERFACE.decodeFunctionResult(method, output).toArray();
  }

  #membershipLogs(filter: Pick<PrivateLogFilter, "fromBlock" | "toBlock">) {
    return this.provider.privGetLogs(this.privacyGroupId, {
      fromBlock: filter.fromBlock ?? 0,
      toBlock: filter.toBlock ?? "latest",
      topics: [MEMBERSHIP_TOPICS],
    });
  }

  /** Sends to the proxy; Besu's default contract reports some refusals by returning false, which is an error here too. */
  async #manage(data: string, method: string): Promise<PrivateTransactionReceipt> {
    const receipt = await this.#send({ to: GROUP_PROXY_ADDRESS, data });
    const returnsBool = method === "addParticipants" || method === "removeParticipant";
    if (
      returnsBool &&
      receipt.output !== "0x" &&
      AbiCoder.defaultAbiCoder().decode(["bool"], receipt.output)[0] === false
    ) {
      throw new PrivateTransactionFailedError(
        BesuErrorCode.GroupOperationRefused,
        `${method} returned false: the management contract refused it (a key already a member, or not a member)`,
        receipt.markerHash,
        receipt,
      );
    }
    return receipt;
  }

  async #send(request: PrivateTransactionRequest): Promise<PrivateTransactionReceipt> {
    const sent = await this.signer.sendTransaction(this.privacyGroupId, request);
    try {
      return await sent.wait();
    } catch (error) {
      throw decodeRevert(error, this.runner.provider.interfaces);
    }
  }
}
