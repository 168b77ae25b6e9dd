/**
 * `flexible-privacy-groups/hardhat` on both Hardhats, with the tasks fpg:export, fpg:verify,
 * fpg:check-upgrade, fpg:genesis and fpg:node (and on Hardhat 2, `hre.privacy` and the private-transaction matchers):
 *   - Hardhat 2: `require("flexible-privacy-groups/hardhat")` (or `import`) in the config registers them;
 *   - Hardhat 3: the module is the plugin object: `import fpg from "flexible-privacy-groups/hardhat"`,
 *     `plugins: [fpg]`.
 * Hardhat 3 has no CommonJS `hardhat/config` to register through, so the Hardhat 2 registration loads only
 * when the installed Hardhat's major version is 2.
 */
import { plugin } from "./plugin";

function installedHardhatMajor(): number | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON read at load time
    return Number((require("hardhat/package.json") as { version: string }).version.split(".")[0]);
  } catch {
    return undefined; // no Hardhat: nothing to register
  }
}

if (installedHardhatMajor() === 2) {
  /* eslint-disable @typescript-eslint/no-require-imports -- conditional: Hardhat 2 only */
  require("./tasks");
  require("./privacy-hardhat2");
  /* eslint-enable @typescript-eslint/no-require-imports */
}

// module.exports itself, so that an ESM `import fpg from` (which reads module.exports) gets the plugin.
export = plugin;
