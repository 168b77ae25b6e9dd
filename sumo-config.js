// SuMo's configuration. scripts/mutation.ts uses SuMo's mutation operators with these settings and runs
// the mutants itself (see reports/mutation/README.md for why, and for the results).
module.exports = {
  buildDir: "artifacts",
  contractsDir: "contracts",
  testDir: "test",
  // Only the blob's contracts: interfaces have no code, test doubles and the example are not shipped.
  skipContracts: ["interfaces", "test", "examples"],
  skipTests: [],
  testingTimeOutInSec: 600,
  network: "none",
  testingFramework: "hardhat",
  // SuMo's minimal rules: fewer mutants that other mutants already subsume (e.g. one `<` → `<=`, not all six).
  minimal: true,
  tce: false,
};
