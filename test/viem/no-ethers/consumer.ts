// A viem project's use of flexible-privacy-groups/viem, run by no-ethers.test.ts in a process where `ethers`
// cannot be resolved: a group, a private deployment, a write, a read, a custom-error revert and the history.
// The network's URLs and keys come in FPG_NODES; the contract from Hardhat's artifact (plain JSON).
import fs from "node:fs";
import path from "node:path";
import { type Abi, type Hex, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { PrivateTransactionRevertedError, privateActions } from "../../../src/viem";

type Node = { url: string; privateKey: Hex; enclaveKey: string };

async function main(): Promise<void> {
  const nodes = JSON.parse(process.env.FPG_NODES ?? "[]") as Node[];
  const artifact = path.join(__dirname, "..", "..", "..", "artifacts", "contracts", "test", "PrivateCounter.sol", "PrivateCounter.json");
  const { abi, bytecode } = JSON.parse(fs.readFileSync(artifact, "utf8")) as { abi: Abi; bytecode: Hex };
  const [alice, bob] = nodes.map((node) =>
    createWalletClient({ account: privateKeyToAccount(node.privateKey), transport: http(node.url) }).extend(
      privateActions({ enclaveKey: node.enclaveKey }),
    ),
  );
  const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [nodes[1].enclaveKey] });
  const { address } = await alice.deployPrivateContract({ privacyGroupId, abi, bytecode, args: [1n] });
  await bob.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" });
  const value = await alice.readPrivateContract({ privacyGroupId, address, abi, functionName: "value" });
  const reverted = await alice.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" }).then(
    () => null,
    (error: unknown) => {
      if (!(error instanceof PrivateTransactionRevertedError)) throw error;
      return `${error.errorName}(${(error.args ?? []).join(", ")})`;
    },
  );
  const history = await bob.getGroupHistory({ privacyGroupId });
  console.log(JSON.stringify({ value: String(value), reverted, history: history.map((change) => change.kind) }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
