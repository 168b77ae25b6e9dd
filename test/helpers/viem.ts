import { type Hex, type Transport, createWalletClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { PrivacyNetwork } from "../../src/network";
import { DEFAULT_NODES } from "../../src/network/defaults";
import { privateActions } from "../../src/viem";

/** A viem wallet client per node of the network, with the node's account and enclave key, over `transport`. */
export function privateClients<T extends Transport>(network: PrivacyNetwork, transport: (node: PrivacyNetwork["nodes"][number]) => T) {
  return network.nodes.map((node, i) =>
    createWalletClient({ account: privateKeyToAccount(DEFAULT_NODES[i].privateKey as Hex), transport: transport(node) }).extend(
      privateActions({ enclaveKey: DEFAULT_NODES[i].enclaveKey }),
    ),
  );
}
