import {
  AbiCoder,
  BaseContract,
  type InterfaceAbi,
  type Log,
  type Signer,
  type TransactionReceipt,
  type TransactionRequest,
  type TransactionResponse,
  Interface,
  getAddress,
} from "ethers";
// File by file, not the typechain-types barrel, so a build ships only the shipped contracts' bindings.
import { GROUP_PROXY_ADDRESS } from "../core/constants";
import { GROUP_ABI } from "../core/group-abi";
import { PrivacySdkError } from "../core/errors";
import { generatePrivacyGroupId, parsePrivacyGroupId } from "../core/ids";
import {
  MEMBERSHIP_EVENT_SIGNATURES,
  MEMBERSHIP_TOPICS,
  membershipHistoryFromLogs,
  type MembershipChange,
} from "../core/history";
import { bytesToTesseraKey, tesseraKeyToBytes } from "../core/keys";
import { AddMembersError, BesuErrorCode, BesuOnlyError, PrivateTransactionFailedError, decodeRevert } from "./errors";
import type { PrivacyGroupInfo, PrivacyProvider, PrivateLogFilter, PrivateTransactionReceipt } from "./provider";
import { PrivateGroupRunner, getPrivateContractAddress } from "./runner";
import type { PrivateSigner } from "./signer";

/** The management and proxy ABI, with this project's custom errors; Besu's contracts share the 10 functions. */
export const GROUP_INTERFACE = new Interface(GROUP_ABI);

/** The two membership events as an ethers Interface, for an ethers project's own decoding (history decodes by hand). */
export const membershipEventsInterface = new Interface(MEMBERSHIP_EVENT_SIGNATURES);

/**
 * A TypeChain factory or any ethers ContractFactory, of this ethers or of another copy: an ESM project
 * (Hardhat 3) has ethers' ESM build, whose classes TypeScript keeps apart from the CommonJS build's this
 * package sees, so the type says only what deploy and attach use.
 */
export interface ContractFactoryLike {
  readonly interface: Interface | InterfaceAbi | { formatJson(): string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each factory types its own constructor arguments
  getDeployTransaction(...args: any[]): Promise<TransactionRequest>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  deploy(...args: any[]): Promise<{ getAddress(): Promise<string> }>;
}
type DeployArgs<F extends ContractFactoryLike> = Parameters<F["getDeployTransaction"]>;
/** The typed contract a TypeChain factory deploys. */
type Deployed<F extends ContractFactoryLike> = Awaited<ReturnType<F["deploy"]>>;
type Attached<F extends ContractFactoryLike> = Omit<Deployed<F>, "deploymentTransaction"> & BaseContract;

/** The factory's ABI as this ethers' Interface (Interface.from reads another copy's by its formatJson). */
function interfaceOf(factory: ContractFactoryLike): Interface {
  return Interface.from(factory.interface as Interface);
}

type BlockRange = Pick<PrivateLogFilter, "fromBlock" | "toBlock">;

/** How a group reads and changes its management contract: Besu's privacy API, or plain calls on an EVM chain. */
interface GroupChannel<Receipt> {
  call(data: string, blockTag: string | number): Promise<string>;
  /** Sends to the proxy; `output` is the call's return data ("0x" where the chain does not report it). */
  send(data: string): Promise<{ receipt: Receipt; output: string; hash: string }>;
  membershipLogs(range: BlockRange): Promise<Log[]>;
  /** The addresses whose membership events count, for membershipHistoryFromLogs (undefined: Besu's). */
  readonly groupAddresses?: readonly string[];
}

/** One group through Besu's privacy API: priv_call, private transactions, priv_getLogs. */
class BesuChannel implements GroupChannel<PrivateTransactionReceipt> {
  constructor(
    readonly signer: PrivateSigner,
    readonly runner: PrivateGroupRunner,
    readonly privacyGroupId: string,
  ) {}

  async call(data: string, blockTag: string | number): Promise<string> {
    const from = await this.signer.getAddress();
    return this.signer.provider.privCall(this.privacyGroupId, { to: GROUP_PROXY_ADDRESS, data, from }, blockTag);
  }

  async send(data: string) {
    const sent = await this.signer.sendTransaction(this.privacyGroupId, { to: GROUP_PROXY_ADDRESS, data });
    try {
      const receipt = await sent.wait();
      return { receipt, output: receipt.output, hash: receipt.markerHash };
    } catch (error) {
      throw decodeRevert(error, this.runner.provider.interfaces);
    }
  }

  membershipLogs(range: BlockRange) {
    return this.signer.provider.privGetLogs(this.privacyGroupId, {
      fromBlock: range.fromBlock ?? 0,
      toBlock: range.toBlock ?? "latest",
      topics: [[...MEMBERSHIP_TOPICS]],
    });
  }
}

/** The same contracts deployed on an ordinary EVM chain (tests, demos): eth_call, transactions, eth_getLogs. */
class PublicChannel implements GroupChannel<TransactionReceipt> {
  readonly groupAddresses: readonly string[];

  constructor(
    readonly signer: Signer,
    readonly proxyAddress: string,
  ) {
    this.groupAddresses = [proxyAddress];
  }

  async call(data: string, blockTag: string | number): Promise<string> {
    const from = await this.signer.getAddress();
    return this.#provider().call({ to: this.proxyAddress, data, from, blockTag });
  }

  async send(data: string) {
    try {
      const response = await this.signer.sendTransaction({ to: this.proxyAddress, data });
      // wait() resolves to null only when asked for 0 confirmations
      const receipt = (await response.wait())!;
      return { receipt, output: "0x", hash: receipt.hash };
    } catch (error) {
      throw decodeRevert(error);
    }
  }

  membershipLogs(range: BlockRange) {
    return this.#provider().getLogs({
      address: this.proxyAddress,
      fromBlock: range.fromBlock ?? 0,
      toBlock: range.toBlock ?? "latest",
      topics: [[...MEMBERSHIP_TOPICS]],
    });
  }

  #provider() {
    const { provider } = this.signer;
    if (provider === null) {
      throw new PrivacySdkError(BesuErrorCode.NoProvider, "the group's signer has no provider to read the chain with");
    }
    return provider;
  }
}

/** A FlexiblePrivacyGroup on an ordinary EVM chain: everything but what only Besu's privacy API has. */
export type PublicFlexiblePrivacyGroup = Omit<
  FlexiblePrivacyGroup<TransactionReceipt>,
  "privacyGroupId" | "signer" | "runner" | "provider" | "deploy" | "attach" | "privateReceipt" | "deployManagement"
>;

/**
 * A flexible privacy group on Besu 25.5, driven by one PrivateSigner. Works with this project's management
 * contract and with Besu's default one (which returns false instead of reverting, and copies members on upgrade).
 * The same client drives the same contracts deployed on an ordinary EVM chain (tests, demos): see onPublicChain.
 * Keys are base64 enclave (Tessera) keys; the client says "member" where the contracts say "participant".
 */
export class FlexiblePrivacyGroup<Receipt = PrivateTransactionReceipt> {
  readonly #channel: GroupChannel<Receipt>;
  readonly #besu: BesuChannel | null;

  private constructor(channel: GroupChannel<Receipt>, besu: BesuChannel | null) {
    this.#channel = channel;
    this.#besu = besu;
  }

  /** The group on Besu: a private transaction channel whose runner decodes the group's errors. */
  static #onBesu(signer: PrivateSigner, privacyGroupId: string): FlexiblePrivacyGroup {
    parsePrivacyGroupId(privacyGroupId);
    const channel = new BesuChannel(signer, new PrivateGroupRunner(signer, privacyGroupId), privacyGroupId);
    channel.runner.provider.registerInterface(GROUP_INTERFACE);
    return new FlexiblePrivacyGroup(channel, channel);
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
    const group = FlexiblePrivacyGroup.#onBesu(signer, options.id ?? generatePrivacyGroupId());
    await group.#addParticipants(participants);
    return group;
  }

  /** The groups the provider's node knows whose members include all `keys` (privx_findFlexiblePrivacyGroup). */
  static find(provider: PrivacyProvider, keys: readonly string[]): Promise<PrivacyGroupInfo[]> {
    return provider.findFlexiblePrivacyGroups(keys);
  }

  /** An existing group, to read and change as `signer`. */
  static at(signer: PrivateSigner, privacyGroupId: string): FlexiblePrivacyGroup {
    return FlexiblePrivacyGroup.#onBesu(signer, privacyGroupId);
  }

  /**
   * The group whose proxy is at `proxyAddress` on an ordinary EVM chain (the genesis blob's, or deployed), read
   * and changed as `signer` with ordinary calls and transactions. Reverts throw PrivateTransactionRevertedError
   * with an empty markerHash.
   */
  static onPublicChain(signer: Signer, proxyAddress: string = GROUP_PROXY_ADDRESS): PublicFlexiblePrivacyGroup {
    return new FlexiblePrivacyGroup(new PublicChannel(signer, getAddress(proxyAddress)), null);
  }

  /** Creates a group on an ordinary EVM chain with these members; the signer becomes its owner. */
  static async createOnPublicChain(
    signer: Signer,
    members: readonly string[],
    proxyAddress: string = GROUP_PROXY_ADDRESS,
  ): Promise<PublicFlexiblePrivacyGroup> {
    const group = new FlexiblePrivacyGroup(new PublicChannel(signer, getAddress(proxyAddress)), null);
    await group.#addParticipants(members);
    return group;
  }

  get privacyGroupId(): string {
    return this.#onlyBesu("privacyGroupId").privacyGroupId;
  }

  get signer(): PrivateSigner {
    return this.#onlyBesu("signer").signer;
  }

  /** An ethers ContractRunner: connect TypeChain contracts to it to use them inside the group. */
  get runner(): PrivateGroupRunner {
    return this.#onlyBesu("runner").runner;
  }

  get provider(): PrivacyProvider {
    return this.signer.provider;
  }

  /** The members as base64 enclave keys (the contracts' getParticipants); [] if this node has no state for the group. */
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
    } catch (error) {
      if (this.#besu === null) throw error; // only Besu's default contract has no owner() to call
    }
    if (this.#besu === null) return null;
    const [first] = await this.#channel.membershipLogs({});
    if (first === undefined) return null;
    const creation = await this.provider.getPrivateTransaction(first.transactionHash);
    return creation === null ? null : creation.from;
  }

  /**
   * Locks the group and adds `keys`. If the add fails or is dropped, unlocks the group again (when it is still
   * locked) and throws AddMembersError with the add's error as cause, so this call never leaves the group locked.
   */
  async addMembers(keys: readonly string[]): Promise<Receipt> {
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

  removeMember(key: string): Promise<Receipt> {
    return this.#manage(
      GROUP_INTERFACE.encodeFunctionData("removeParticipant", [tesseraKeyToBytes(key)]),
      "removeParticipant",
    );
  }

  lock(): Promise<Receipt> {
    return this.#manage(GROUP_INTERFACE.encodeFunctionData("lock"), "lock");
  }

  unlock(): Promise<Receipt> {
    return this.#manage(GROUP_INTERFACE.encodeFunctionData("unlock"), "unlock");
  }

  /** Points the proxy at another management contract (deployed privately in this group). */
  upgradeTo(implementation: string): Promise<Receipt> {
    return this.#manage(GROUP_INTERFACE.encodeFunctionData("upgradeTo", [getAddress(implementation)]), "upgradeTo");
  }

  /** Deploys a custom management contract privately in the group, then upgrades the group to it. */
  async deployManagement<F extends ContractFactoryLike>(factory: F, ...args: DeployArgs<F>): Promise<Deployed<F>> {
    const management = await this.deploy(factory, ...args);
    await this.upgradeTo(await management.getAddress());
    return management;
  }

  transferOwnership(newOwner: string): Promise<Receipt> {
    return this.#manage(
      GROUP_INTERFACE.encodeFunctionData("transferOwnership", [getAddress(newOwner)]),
      "transferOwnership",
    );
  }

  acceptOwnership(): Promise<Receipt> {
    return this.#manage(GROUP_INTERFACE.encodeFunctionData("acceptOwnership"), "acceptOwnership");
  }

  cancelOwnershipTransfer(): Promise<Receipt> {
    return this.#manage(GROUP_INTERFACE.encodeFunctionData("cancelOwnershipTransfer"), "cancelOwnershipTransfer");
  }

  /** Every membership change, in chain order, from priv_getLogs (eth_getLogs on a public chain): ready for decideAccess. */
  async history(range: BlockRange = {}): Promise<MembershipChange[]> {
    const logs = await this.#channel.membershipLogs(range);
    return membershipHistoryFromLogs(logs, { groupAddresses: this.#channel.groupAddresses });
  }

  /**
   * Deploys a contract privately in the group with a TypeChain factory (or any ethers ContractFactory) and
   * returns it, typed, at Besu's private contract address, connected to the group's runner. Resolves once
   * deployed; a revert throws the constructor's decoded error. (ethers' own `factory.deploy()` would compute
   * the public CREATE address, which a private contract does not have.)
   */
  async deploy<F extends ContractFactoryLike>(factory: F, ...args: DeployArgs<F>): Promise<Deployed<F>> {
    const abi = interfaceOf(factory);
    this.runner.provider.registerInterface(abi);
    const response = await this.runner.sendTransaction(await factory.getDeployTransaction(...args));
    const receipt = await response.wait(); // the private outcome: throws the decoded revert or a drop
    const address = receipt?.contractAddress ?? (await this.#creationAddress(response.hash));
    return new BaseContract(address, abi, this.runner, response) as unknown as Deployed<F>;
  }

  /** A contract at `address` in this group, connected to the runner; its custom errors decode reverts. */
  attach<F extends ContractFactoryLike>(factory: F, address: string): Attached<F> {
    const abi = interfaceOf(factory);
    this.runner.provider.registerInterface(abi);
    return new BaseContract(getAddress(address), abi, this.runner) as unknown as Attached<F>;
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

  /** Creates the group: addParticipants on an unlocked group with no members yet. */
  async #addParticipants(keys: readonly string[]): Promise<void> {
    await this.#manage(GROUP_INTERFACE.encodeFunctionData("addParticipants", [keys.map(tesseraKeyToBytes)]), "addParticipants");
  }

  #onlyBesu(what: string): BesuChannel {
    if (this.#besu === null) throw new BesuOnlyError(what);
    return this.#besu;
  }

  async #read(method: string, blockTag: string | number): Promise<readonly unknown[] | null> {
    const output = await this.#channel.call(GROUP_INTERFACE.encodeFunctionData(method), blockTag);
    if (output === "0x") return null; // no group state on this node (or no such function)
    return GROUP_INTERFACE.decodeFunctionResult(method, output).toArray();
  }

  /** Sends to the proxy; Besu's default contract reports some refusals by returning false, which is an error here too. */
  async #manage(data: string, method: string): Promise<Receipt> {
    const { receipt, output, hash } = await this.#channel.send(data);
    const returnsBool = method === "addParticipants" || method === "removeParticipant";
    if (returnsBool && output !== "0x" && AbiCoder.defaultAbiCoder().decode(["bool"], output)[0] === false) {
      throw new PrivateTransactionFailedError(
        BesuErrorCode.GroupOperationRefused,
        `${method} returned false: the management contract refused it (a key already a member, or not a member)`,
        hash,
        receipt,
      );
    }
    return receipt;
  }
}
