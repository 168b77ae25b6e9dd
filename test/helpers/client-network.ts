import { expect } from "chai";
import { type HDNodeWallet, Wallet } from "ethers";
import {
  FlexiblePrivacyGroup,
  PrivacyProvider,
  PrivateSigner,
  type PrivacyProviderOptions,
  type PrivateSignerOptions,
} from "../../src";
import { DEFAULT_NODES } from "../../src/network/defaults";
import type { NetworkConfig } from "../../src/network/types";
import { startTestNetwork } from "./network/network";

export const [KEY1, KEY2, KEY3] = DEFAULT_NODES.map((node) => node.enclaveKey);
export const [WALLET1, WALLET2, WALLET3] = DEFAULT_NODES.map((node) => new Wallet(node.privateKey));

/** The development network over HTTP, with a provider and a signer (the node's account and key) per node. */
export async function startClientNetwork(
  change?: (config: NetworkConfig) => void,
  providerOptions: PrivacyProviderOptions = {},
) {
  const network = await startTestNetwork(change);
  const providers = network.nodes.map(
    (node) => new PrivacyProvider(node.url, { pollingInterval: 20, ...providerOptions }),
  );
  const signers = providers.map(
    (provider, i) =>
      new PrivateSigner(new Wallet(DEFAULT_NODES[i].privateKey), DEFAULT_NODES[i].enclaveKey, provider, {
        timeout: 30_000,
      }),
  );
  return {
    network,
    providers,
    signers,
    /** Another account on node i's enclave key. */
    signerFor(
      node: number,
      wallet: Wallet | HDNodeWallet = Wallet.createRandom(),
      options: PrivateSignerOptions = {},
    ): PrivateSigner {
      return new PrivateSigner(wallet, DEFAULT_NODES[node].enclaveKey, providers[node], {
        timeout: 30_000,
        ...options,
      });
    },
    async stop(): Promise<void> {
      providers.forEach((provider) => provider.destroy());
      await network.stop();
    },
  };
}

export type ClientNetwork = Awaited<ReturnType<typeof startClientNetwork>>;

/** A group of the given members, created by node 1's signer. */
export function createGroup(net: ClientNetwork, members: string[] = [KEY1, KEY2]): Promise<FlexiblePrivacyGroup> {
  return FlexiblePrivacyGroup.create(net.signers[0], members);
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  expect.fail("expected a rejection");
}
