/**
 * The `privacy` helpers of the Hardhat plugin, the same on Hardhat 2 (`hre.privacy`) and 3: private signers
 * on an in-process development network started at first use (every node on a free port, so parallel runs do
 * not collide) and stopped when the test run ends, and groups created through them.
 */
import { Wallet } from "ethers";
import { FlexiblePrivacyGroup } from "../besu/group";
import { PrivacyProvider } from "../besu/provider";
import { PrivateSigner } from "../besu/signer";
import type { NetworkConfig, PrivacyNetwork } from "../network";

export interface PrivacyHelpersOptions {
  /** The network to start (default: the default three nodes); every node's rpcPort is replaced by 0. */
  config?: () => NetworkConfig;
}

/** A member of a new group: a signer (its enclave key) or a base64 enclave key. */
export type GroupMember = PrivateSigner | string;

export class PrivacyHelpers {
  readonly #options: PrivacyHelpersOptions;
  #network: Promise<PrivacyNetwork> | undefined;
  #signers: Promise<PrivateSigner[]> | undefined;

  constructor(options: PrivacyHelpersOptions = {}) {
    this.#options = options;
  }

  /** The running network, started at the first call. */
  network(): Promise<PrivacyNetwork> {
    this.#network ??= (async () => {
      // Loaded on first use: a test file that never asks for privacy does not load the network's engine.
      const { defaultNetworkConfig, startPrivacyNetwork } = await import("../network");
      const config = (this.#options.config ?? defaultNetworkConfig)();
      return startPrivacyNetwork({ ...config, nodes: config.nodes.map((node) => ({ ...node, rpcPort: 0 })) });
    })();
    return this.#network;
  }

  /**
   * One PrivateSigner per node account of the network's config (`accounts[i]` signs at node i, with that
   * node's first enclave key), over HTTP to its node. The same signers on every call.
   */
  signers(): Promise<PrivateSigner[]> {
    this.#signers ??= (async () => {
      const network = await this.network();
      const { defaultNetworkConfig } = await import("../network");
      const accounts = (this.#options.config ?? defaultNetworkConfig)().accounts;
      return network.nodes.map((node, i) => {
        const provider = new PrivacyProvider(node.url, { pollingInterval: 20 });
        return new PrivateSigner(new Wallet(accounts[i % accounts.length]), node.enclaveKeys[0], provider);
      });
    })();
    return this.#signers;
  }

  /** Creates a group owned by `owner` whose members are `owner` and `members` (signers or enclave keys). */
  createGroup(owner: PrivateSigner, members: readonly GroupMember[], options: { id?: string } = {}): Promise<FlexiblePrivacyGroup> {
    const keys = [owner.enclaveKey, ...members.map((member) => (typeof member === "string" ? member : member.enclaveKey))];
    return FlexiblePrivacyGroup.create(owner, [...new Set(keys)], options);
  }

  /** Stops the network if it was started; the next use starts a fresh one. */
  async stop(): Promise<void> {
    const network = this.#network;
    this.#network = undefined;
    this.#signers = undefined;
    if (network !== undefined) await (await network).stop();
  }
}
