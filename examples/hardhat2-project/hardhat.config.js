/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS Hardhat config, as `npx hardhat init` writes it */
// A contract developer's Hardhat 2 project: the toolbox, the package's plugin, and solc 0.8.30 from the
// npm `solc` package (no compiler download).
const { subtask } = require("hardhat/config");
const { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } = require("hardhat/builtin-tasks/task-names");
require("@nomicfoundation/hardhat-toolbox");
require("flexible-privacy-groups/hardhat");

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(async ({ solcVersion }) => {
  const solc = require("solc");
  if (!solc.version().startsWith(`${solcVersion}+`)) {
    throw new Error(`hardhat asked for solc ${solcVersion}, but the solc package is ${solc.version()}`);
  }
  return { version: solcVersion, longVersion: solc.version(), compilerPath: require.resolve("solc/soljson.js"), isSolcJs: true };
});

module.exports = {
  // The storage layout is what fpg:check-upgrade reads of a custom management contract.
  solidity: {
    version: "0.8.30",
    settings: { evmVersion: "london", outputSelection: { "*": { "*": ["storageLayout"] } } },
  },
};
