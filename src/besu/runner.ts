import {
  AbstractProvider,
  type ContractRunner,
  type Interface,
  type PerformActionRequest,
  type Subscriber,
  type Subscription,
  type TransactionRequest,
  TransactionResponse,
  getAddress,
  isAddress,
  resolveAddress,
  toQuantity,
} from "ethers";
import { SdkErrorCode } from "../core/errors";
import { parsePrivacyGroupId } from "../core/ids";
import { decodeRevert } from "./errors";
import { PrivateLogSubscriber } from "./log-subscriber";
import { PrivacyProvider, type PrivateTransactionReceipt } from "./provider";
import type { PrivateSigner } from "./signer";
import { PrivateTransactionError } from "../core/codec";
import { DEFAULT_PRIVATE_GAS_LIMIT } from "../core/constants";

/** Besu's private contract address lives with the codec; the client has always exported it from here. */
export { getPrivateContractAddress } from "../core/codec";

const MAX_TRACKED = 10_000;

/**
 * An ethers provider scoped to one privacy group: `call` is priv_call, `getLogs` priv_getLogs, `getCode`
 * priv_getCode, `getTransactionCount` priv_getTransactionCount, and `getTransactionReceipt` of a marker hash
 * is the private outcome as an ethers receipt. For a transaction its runner sent, getTransactionReceipt waits
 * for the final outcome and throws the named error of a revert, a drop or an invalid nonce.
 */
export class PrivateGroupProvider extends PrivacyProvider {
  readonly privacyGroupId: string;
  readonly #outcomes = new Map<string, Promise<PrivateTransactionReceipt>>();
  readonly #interfaces: Interface[] = [];

  constructor(base: PrivacyProvider, privacyGroupId: string) {
    parsePrivacyGroupId(privacyGroupId);
    // The base's settings, so a group costs no more requests than its node: its batching, and its known
    // network (without one, ethers asks eth_chainId again before each request it checks the network for).
    super(base._getConnection(), {
      pollingInterval: base.pollingInterval,
      batchMaxCount: base._getOption("batchMaxCount"),
      batchMaxSize: base._getOption("batchMaxSize"),
      batchStallTime: base._getOption("batchStallTime"),
      network: base._getOption("staticNetwork") ? base._network : undefined,
      socket: base.socket ?? undefined,
    });
    this.privacyGroupId = privacyGroupId;
  }

  /** Lets reverts be decoded with this contract's custom errors. */
  registerInterface(iface: Interface): void {
    if (!this.#interfaces.includes(iface)) this.#interfaces.push(iface);
  }

  get interfaces(): readonly Interface[] {
    return this.#interfaces;
  }

  /** Records the outcome of a transaction sent through the group's runner, so its receipt reflects it. */
  track(markerHash: string, outcome: Promise<PrivateTransactionReceipt>): void {
    const decoded = outcome.catch((error: unknown) => {
      throw decodeRevert(error, this.#interfaces);
    });
    decoded.catch(() => undefined);
    this.#outcomes.set(markerHash, decoded);
    // Keep the latest outcomes only: a wait() long after sending falls back to reading the receipt.
    if (this.#outcomes.size > MAX_TRACKED) this.#outcomes.delete(this.#outcomes.keys().next().value!);
  }

  override getRpcRequest(req: PerformActionRequest): null | { method: string; args: unknown[] } {
    const id = this.privacyGroupId;
    switch (req.method) {
      case "call":
        return { method: "priv_call", args: [id, this.getRpcTransaction(req.transaction), req.blockTag] };
      case "getCode":
        return { method: "priv_getCode", args: [id, req.address.toLowerCase(), req.blockTag] };
      case "getTransactionCount":
        return { method: "priv_getTransactionCount", args: [req.address.toLowerCase(), id] };
      case "getLogs": {
        const request = super.getRpcRequest(req);
        return request === null ? null : { method: "priv_getLogs", args: [id, ...request.args] };
      }
      default:
        return super.getRpcRequest(req);
    }
  }

  /**
   * Contract events come by priv_subscribe over a WebSocket, and otherwise by polling priv_getLogs each
   * block (ethers would install a public eth_newFilter).
   */
  override _getSubscriber(sub: Subscription): Subscriber {
    if (sub.type !== "event") return super._getSubscriber(sub);
    if (this.socket !== null) return new PrivateLogSubscriber(this, this.privacyGroupId, sub.filter);
    return AbstractProvider.prototype._getSubscriber.call(this, sub);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ethers' own signature
  override async _perform(req: PerformActionRequest): Promise<any> {
    if (req.method === "getTransactionReceipt") return this.#receiptJson(req.hash);
    if (req.method === "estimateGas") return toQuantity(DEFAULT_PRIVATE_GAS_LIMIT); // unmetered; sizes only the marker
    return super._perform(req);
  }

  async #receiptJson(hash: string): Promise<Record<string, unknown> | null> {
    const tracked = this.#outcomes.get(hash);
    let receipt: PrivateTransactionReceipt | null;
    if (tracked !== undefined) {
      receipt = await tracked;
    } else {
      const marker = await this.send("eth_getTransactionReceipt", [hash]);
      receipt = marker === null ? null : await this.getPrivateTransactionReceipt(hash);
    }
    if (receipt === null) return null;
    return {
      to: receipt.to,
      from: receipt.from,
      contractAddress: receipt.contractAddress,
      transactionHash: receipt.markerHash,
      transactionIndex: toQuantity(receipt.transactionIndex),
      blockHash: receipt.blockHash,
      blockNumber: toQuantity(receipt.blockNumber),
      logsBloom: receipt.logsBloom,
      logs: receipt.logs.map((log) => log.toJSON()),
      gasUsed: "0x0", // private execution is unmetered
      cumulativeGasUsed: "0x0",
      effectiveGasPrice: "0x0",
      status: toQuantity(receipt.status),
      type: "0x0",
      root: null,
    };
  }
}

/**
 * The ethers ContractRunner of a group: contracts connected to it read with priv_call (any block tag),
 * query logs with priv_getLogs, and send private transactions through the group's PrivateSigner, whose
 * `wait()` resolves to the private receipt or throws the decoded custom error, or a named "dropped" error.
 */
export class PrivateGroupRunner implements ContractRunner {
  readonly provider: PrivateGroupProvider;
  readonly signer: PrivateSigner;

  constructor(signer: PrivateSigner, privacyGroupId: string) {
    this.signer = signer;
    this.provider = new PrivateGroupProvider(signer.provider, privacyGroupId);
  }

  get privacyGroupId(): string {
    return this.provider.privacyGroupId;
  }

  getAddress(): Promise<string> {
    return this.signer.getAddress();
  }

  async call(tx: TransactionRequest): Promise<string> {
    return this.provider.call({ ...tx, from: tx.from ?? (await this.signer.getAddress()) });
  }

  async estimateGas(): Promise<bigint> {
    return BigInt(DEFAULT_PRIVATE_GAS_LIMIT);
  }

  async resolveName(name: string): Promise<string | null> {
    return isAddress(name) ? getAddress(name) : null;
  }

  async sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    if (tx.value != null && BigInt(tx.value) !== 0n) {
      throw new PrivateTransactionError(
        SdkErrorCode.ValueNotZero,
        "private transactions cannot carry ether: value must be 0",
      );
    }
    const to = tx.to == null ? null : await resolveAddress(tx.to, this);
    const sent = await this.signer.sendTransaction(this.privacyGroupId, {
      to,
      data: tx.data ?? "0x",
      gasLimit: tx.gasLimit ?? undefined,
      gasPrice: tx.gasPrice ?? undefined,
    });
    this.provider.track(sent.markerHash, sent.wait());
    const { transaction } = sent;
    return new TransactionResponse(
      {
        blockNumber: null,
        blockHash: null,
        hash: sent.markerHash,
        index: 0,
        type: 0,
        to: transaction.to,
        from: await this.signer.getAddress(),
        nonce: transaction.nonce,
        gasLimit: transaction.gasLimit,
        gasPrice: transaction.gasPrice,
        maxPriorityFeePerGas: null,
        maxFeePerGas: null,
        data: transaction.data,
        value: 0n,
        chainId: transaction.chainId ?? 0n,
        signature: transaction.signature!,
        accessList: null,
        authorizationList: null,
      },
      this.provider,
    );
  }
}
