// Runs a command while the built development network runs in this process, then stops the network and
// exits with the command's status. check:package's viem project has no ethers to start the network with
// (the network needs it); it reaches the nodes over HTTP, as an application reaches Besu.
// Usage: node beside-network.mjs <dist dir> <nodes file> <cwd> <command> [args…]; the nodes file gets each
// node's url, privateKey and enclaveKey as JSON.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const [dist, nodesFile, cwd, command, ...args] = process.argv.slice(2);
const { DEFAULT_NODES, defaultNetworkConfig, startPrivacyNetwork } = createRequire(import.meta.url)(
  path.resolve(dist, "src", "network", "index.js"),
);

const config = defaultNetworkConfig();
for (const node of config.nodes) node.rpcPort = 0; // free ports: CI may run another network
const network = await startPrivacyNetwork(config);
try {
  const nodes = network.nodes.map((node, i) => ({ url: node.url, privateKey: DEFAULT_NODES[i].privateKey, enclaveKey: DEFAULT_NODES[i].enclaveKey }));
  fs.writeFileSync(nodesFile, JSON.stringify(nodes, null, 2));
  const child = spawn(command, args, { cwd, stdio: "inherit" });
  process.exitCode = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
} finally {
  await network.stop();
}
