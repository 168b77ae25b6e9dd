/**
 * `flexible-privacy-groups/hardhat` on both Hardhats, with the tasks fpg:export, fpg:verify,
 * fpg:check-upgrade and privacy-node:
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

// eslint-disable-next-line @typescript-eslint/no-require-imports -- conditional: Hardhat 2 only
if (installedHardhatMajor() === 2) require("./tasks");

// module.exports itself, so that an ESM `import fpg from` (which reads module.exports) gets the plugin.
export = plugin;
