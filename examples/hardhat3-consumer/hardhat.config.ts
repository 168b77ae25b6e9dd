// A fresh Hardhat 3 project (ESM: check:package writes "type": "module") on solc 0.8.28 from the npm `solc`
// package: `path` points Hardhat 3 at its soljson.js (a WASM build), so no compiler is downloaded.
// check:package copies in examples/hardhat-consumer/contracts/ (GroupReader.sol).
import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { defineConfig } from "hardhat/config";
// The package's tasks: fpg:export, fpg:verify, fpg:check-upgrade, fpg:genesis and fpg:node.
import fpg from "flexible-privacy-groups/hardhat";

const require = createRequire(import.meta.url);

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, fpg],
  solidity: { version: "0.8.28", path: require.resolve("solc/soljson.js") },
});
