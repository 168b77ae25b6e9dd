/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS Hardhat config, as `npx hardhat init` writes it */
// A fresh Hardhat project on solc 0.8.28 from the npm `solc` package: no compiler download.
const { subtask } = require("hardhat/config");
// The package's tasks: fpg:export, fpg:verify, fpg:check-upgrade, fpg:genesis and fpg:node.
require("flexible-privacy-groups/hardhat");
const { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } = require("hardhat/builtin-tasks/task-names");

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(async ({ solcVersion }) => {
  const solc = require("solc");
  if (!solc.version().startsWith(`${solcVersion}+`)) {
    throw new Error(`hardhat asked for solc ${solcVersion}, but the solc package is ${solc.version()}`);
  }
  return { version: solcVersion, longVersion: solc.version(), compilerPath: require.resolve("solc/soljson.js"), isSolcJs: true };
});

module.exports = { solidity: "0.8.28" };
