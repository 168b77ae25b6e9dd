import path from "node:path";
import { subtask, type HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, TASK_TEST_GET_TEST_FILES } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
import { COMPILER_SETTINGS, SOLC_VERSION } from "./src/hardhat/compiler";
import { HardforkSettingError, hardforkUnderTest } from "./scripts/lib/hardfork";
import "./scripts/bench-task";
import "./src/hardhat";

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

// `hardhat test` with no files runs the suites, *.test.ts: under test/ there are also helpers and scripts that
// a test runs in a child process (test/viem/no-ethers/), which must not run in the test process itself.
subtask(TASK_TEST_GET_TEST_FILES).setAction(async (args: { testFiles: string[] }, _hre, runSuper) => {
  const files = (await runSuper(args)) as string[];
  return args.testFiles.length > 0 ? files : files.filter((file) => file.endsWith(".test.ts"));
});

/** The hardfork of the in-process network; a bad FPG_HARDFORK ends here with one line, not a stack trace. */
function hardfork(): string {
  try {
    return hardforkUnderTest();
  } catch (error) {
    if (!(error instanceof HardforkSettingError)) throw error;
    console.error(`Error: ${error.message}`);
    process.exit(2);
  }
}

const config: HardhatUserConfig = {
  // The storage layout is for the upgrade check (fpg:check-upgrade); outputs never change the code.
  solidity: {
    version: SOLC_VERSION,
    settings: { ...COMPILER_SETTINGS, outputSelection: { "*": { "*": ["storageLayout"] } } },
  },
  networks: {
    hardhat: {
      hardfork: hardfork(),
      blockGasLimit: 30_000_000,
    },
    // `npx hardhat node`'s address; FPG_LOCALHOST_URL points it elsewhere (the README's deploy test
    // starts a node on a free port).
    localhost: { url: process.env.FPG_LOCALHOST_URL ?? "http://127.0.0.1:8545" },
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: { enabled: false },
  // forbidOnly: a stray `.only` would silently skip the rest of the suite.
  mocha: { timeout: 120_000, forbidOnly: true },
};

export default config;
