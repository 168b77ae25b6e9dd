/**
 * Conformance: web3js-quorum@22.4.0's own end-to-end test for flexible privacy groups
 * (integration-tests/onchainPrivacy/onChainPrivacy.test.js), run unmodified with jest against the default
 * network on 20000/20002/20004. The one change is the one web3js-quorum itself made after that release
 * (PR #58, never published): solidity/PrivacyProxy.json gets the bytes[]/bytes ABI that Besu >= 22.10
 * expects instead of the bytes32[] one.
 *   npm run conformance          exits with jest's code
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Interface } from "ethers";
import { defaultNetworkConfig } from "../src/network/defaults";
import { startPrivacyNetwork } from "../src/network/index";

const ROOT = path.resolve(__dirname, "..");
const PACKAGE = path.dirname(require.resolve("web3js-quorum/package.json", { paths: [ROOT] }));
const TEST_FILE = path.join("integration-tests", "onchainPrivacy", "onChainPrivacy.test.js");
/** The test, its support files and what they load: the client's source, its ABIs, the example contract. */
const COPIED = [
  path.dirname(TEST_FILE),
  path.join("integration-tests", "support"),
  "src",
  "solidity",
  path.join("example", "solidity"),
];

/** The proxy interface of Besu >= 22.10 (and of web3js-quorum PR #58): keys are `bytes`, not `bytes32`. */
export const BYTES_PROXY_ABI = JSON.parse(
  new Interface([
    "constructor(address _implementation)",
    "event ParticipantRemoved(bytes publicEnclaveKey)",
    "function addParticipants(bytes[] _publicEnclaveKeys) returns (bool)",
    "function canExecute() view returns (bool)",
    "function canUpgrade() returns (bool)",
    "function getParticipants() view returns (bytes[])",
    "function getVersion() view returns (bytes32)",
    "function implementation() view returns (address)",
    "function lock()",
    "function removeParticipant(bytes _participant) returns (bool)",
    "function unlock()",
    "function upgradeTo(address _newImplementation)",
  ]).formatJson(),
) as unknown[];

/** Copies the suite into a fresh folder and swaps in the bytes ABI; returns the folder. */
export function prepareSuite(): string {
  const version = (JSON.parse(fs.readFileSync(path.join(PACKAGE, "package.json"), "utf8")) as { version: string })
    .version;
  if (version !== "22.4.0") throw new Error(`expected web3js-quorum 22.4.0 in node_modules, found ${version}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fpg-web3js-quorum-"));
  for (const part of COPIED) fs.cpSync(path.join(PACKAGE, part), path.join(dir, part), { recursive: true });
  const proxyFile = path.join(dir, "solidity", "PrivacyProxy.json");
  const artifact = JSON.parse(fs.readFileSync(proxyFile, "utf8")) as { output: { abi: unknown[] } };
  artifact.output.abi = BYTES_PROXY_ABI;
  fs.writeFileSync(proxyFile, JSON.stringify(artifact));
  return dir;
}

/** Runs jest 29 on the copied test; resolves to jest's exit code. */
export function runJest(dir: string): Promise<number> {
  const config = {
    rootDir: dir,
    roots: [path.join(dir, path.dirname(TEST_FILE))],
    testEnvironment: "node",
    testTimeout: 60_000,
    // The copy lives outside node_modules: resolve web3js-quorum's own dependencies (ethereumjs-util 6)
    // first, then web3 1.x and the rest from this project.
    modulePaths: [path.join(PACKAGE, "node_modules"), path.join(ROOT, "node_modules")],
    cacheDirectory: path.join(dir, ".jest-cache"),
  };
  const jestBin = require.resolve("jest/bin/jest", { paths: [ROOT] });
  const args = [jestBin, "--config", JSON.stringify(config), "--runInBand", "--ci", path.join(dir, TEST_FILE)];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: "inherit", cwd: dir });
    child.on("exit", (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

/** Starts the default network, runs the suite, stops the network; returns jest's code and the time taken. */
export async function runConformance(): Promise<{ code: number; seconds: number }> {
  const started = performance.now();
  const dir = prepareSuite();
  const network = await startPrivacyNetwork(defaultNetworkConfig());
  let code = 1;
  try {
    code = await runJest(dir);
  } finally {
    await network.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { code, seconds: (performance.now() - started) / 1000 };
}

if (require.main === module) {
  runConformance().then(
    ({ code, seconds }) => {
      console.log(
        `web3js-quorum 22.4.0 onChainPrivacy suite: jest exited ${code} after ${seconds.toFixed(1)} s (start-up included)`,
      );
      process.exit(code);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
