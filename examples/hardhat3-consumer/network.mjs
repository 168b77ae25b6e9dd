// The development network inside a Hardhat 3 project: it runs on the EDR that Hardhat 3 brings (check:package
// checks that no other EDR is installed), with the client over WebSocket, a snapshot and its revert.
import { Wallet } from "ethers";
import { FlexiblePrivacyGroup, PrivacyProvider, PrivateSigner } from "flexible-privacy-groups";
import { DEFAULT_NODES, defaultNetworkConfig, startPrivacyNetwork } from "flexible-privacy-groups/network";

const config = defaultNetworkConfig();
for (const node of config.nodes) node.rpcPort = 0;
const network = await startPrivacyNetwork(config);
try {
  const [first, second] = network.nodes;
  const provider = new PrivacyProvider(first.wsUrl, { network: config.chainId });
  const owner = new PrivateSigner(new Wallet(DEFAULT_NODES[0].privateKey), first.enclaveKeys[0], provider);
  const group = await FlexiblePrivacyGroup.create(owner, [first.enclaveKeys[0], second.enclaveKeys[0]]);
  const snapshot = await network.snapshot();
  await group.lock();
  if (!(await network.revert(snapshot))) throw new Error("evm_revert refused the snapshot it took");
  // Reverted to unlocked: locking again must work.
  await group.lock();
  await group.unlock();
  const members = await group.members();
  if (members.length !== 2) throw new Error(`expected 2 members, got ${members.length}`);
  provider.destroy();
  console.log(`network ok: a group of ${members.length}, locked and unlocked over WebSocket, reverted by evm_revert`);
} finally {
  await network.stop();
}
