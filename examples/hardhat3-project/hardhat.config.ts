// A contract developer's Hardhat 3 project: the mocha-ethers toolbox, the package's plugin, and solc 0.8.30
// from the npm `solc` package (`path` points Hardhat 3 at its soljson.js, so no compiler is downloaded).
import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { defineConfig } from "hardhat/config";
import flexiblePrivacyGroups from "flexible-privacy-groups/hardhat";
import "flexible-privacy-groups/hardhat3-types";

const require = createRequire(import.meta.url);

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, flexiblePrivacyGroups],
  solidity: { version: "0.8.30", path: require.resolve("solc/soljson.js"), settings: { evmVersion: "london" } },
});
