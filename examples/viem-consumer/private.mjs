// A viem project (no Hardhat, no ethers of its own): the development network from the package, then a
// group, a private deployment, a write, a read, a custom-error revert and the history, all through
// flexible-privacy-groups/viem. check:package writes counter.json (the test PrivateCounter's ABI and bytecode).
import fs from "node:fs";
import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { PrivateTransactionRevertedError, privateActions } from "flexible-privacy-groups/viem";
import { DEFAULT_NODES, defaultNetworkConfig, startPrivacyNetwork } from "flexible-privacy-groups/network";

const { abi, bytecode } = JSON.parse(fs.readFileSync("counter.json", "utf8"));
const config = defaultNetworkConfig();
for (const node of config.nodes) node.rpcPort = 0;
const network = await startPrivacyNetwork(config);
try {
  const [alice, bob] = network.nodes.map((node, i) =>
    createWalletClient({ account: privateKeyToAccount(DEFAULT_NODES[i].privateKey), transport: http(node.url) }).extend(
      privateActions({ enclaveKey: DEFAULT_NODES[i].enclaveKey }),
    ),
  );
  const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [DEFAULT_NODES[1].enclaveKey] });
  const { address } = await alice.deployPrivateContract({ privacyGroupId, abi, bytecode, args: [1n] });
  await bob.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" });
  const value = await alice.readPrivateContract({ privacyGroupId, address, abi, functionName: "value" });
  let reverted;
  try {
    await alice.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" });
  } catch (error) {
    if (!(error instanceof PrivateTransactionRevertedError)) throw error;
    reverted = `${error.errorName}(${error.args.join(", ")})`;
  }
  const history = await bob.getGroupHistory({ privacyGroupId });
  if (value !== 1n || reverted !== "CounterLimitReached(2, 1)" || history.length !== 2) {
    throw new Error(`unexpected: value ${value}, revert ${reverted}, ${history.length} membership changes`);
  }
  console.log(`viem ok: a group of 2, a counter at ${value}, a revert ${reverted}, ${history.length} membership changes`);
} finally {
  await network.stop();
}
