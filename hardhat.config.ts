import path from "node:path";
import { subtask, type HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
import { COMPILER_SETTINGS, SOLC_VERSION } from "./scripts/lib/compiler";
import { hardforkUnderTest } from "./scripts/lib/hardfork";
import "./tasks/check-upgrade";

// Compilers are never downloaded: Hardhat runs the `solc` npm package's soljson.js,
// pinned in package.json, for compile, test and coverage alike.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(async ({ solcVersion }: { solcVersion: string }) => {
  if (solcVersion !== SOLC_VERSION) {
    throw new Error(`hardhat asked for solc ${solcVersion}, but only the pinned solc ${SOLC_VERSION} is installed`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  return {
    version: solcVersion,
    longVersion: solc.version(),
    compilerPath: path.join(path.dirname(require.resolve("solc/package.json")), "soljson.js"),
    isSolcJs: true,
  };
});

const config: HardhatUserConfig = {
  // The storage layout is for the upgrade check (fpg:check-upgrade); outputs never change the code.
  solidity: {
    version: SOLC_VERSION,
    settings: { ...COMPILER_SETTINGS, outputSelection: { "*": { "*": ["storageLayout"] } } },
  },
  networks: {
    hardhat: {
      hardfork: hardforkUnderTest(),
      blockGasLimit: 30_000_000,
    },
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: { enabled: false },
  // forbidOnly: a stray `.only` would silently skip the rest of the suite.
  mocha: { timeout: 120_000, forbidOnly: true },
};

export default config;
