// A viem project (no Hardhat, no ethers): a group, a private deployment, a write, a read, a custom-error
// revert and the history, all through flexible-privacy-groups/viem, against running nodes. check:package
// starts the development network in another process and writes nodes.json (each node's url, account key and
// enclave key) and counter.json (the test PrivateCounter's ABI and bytecode).
import fs from "node:fs";
import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { PrivateTransactionRevertedError, privateActions } from "flexible-privacy-groups/viem";

const { abi, bytecode } = JSON.parse(fs.readFileSync("counter.json", "utf8"));
const nodes = JSON.parse(fs.readFileSync("nodes.json", "utf8"));
const [alice, bob] = nodes.map(({ url, privateKey, enclaveKey }) =>
  createWalletClient({ account: privateKeyToAccount(privateKey), transport: http(url) }).extend(privateActions({ enclaveKey })),
);
const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [nodes[1].enclaveKey] });
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
