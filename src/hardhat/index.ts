/**
 * The Hardhat plugin: `require("flexible-privacy-groups/hardhat")` (or `import`) in a Hardhat 2 config
 * adds the release tasks (fpg:export, fpg:verify, fpg:check-upgrade), privacy-node, `hre.privacy` and
 * the private-transaction chai matchers. Each task loads
 * what it runs (solc, upgrades-core, the network) only when it runs.
 */
import "./tasks/export";
import "./tasks/verify";
import "./tasks/check-upgrade";
import "./tasks/privacy-node";
import "./privacy-hardhat2";
