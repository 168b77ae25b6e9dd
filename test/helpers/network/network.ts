import { defaultNetworkConfig } from "../../../src/network/defaults";
import { type PrivacyNetwork, type PrivateTransactionEntry, startPrivacyNetwork } from "../../../src/network";
import type { NetworkConfig } from "../../../src/network/types";

/** The default three nodes on free ports, optionally changed; records every private transaction processed. */
export async function startTestNetwork(change?: (config: NetworkConfig) => void): Promise<PrivacyNetwork & { processed: PrivateTransactionEntry[] }> {
  const config = defaultNetworkConfig();
  for (const node of config.nodes) node.rpcPort = 0;
  change?.(config);
  const processed: PrivateTransactionEntry[] = [];
  const network = await startPrivacyNetwork(config, { onPrivateTransaction: (entry) => processed.push(entry) });
  return { ...network, processed };
}
