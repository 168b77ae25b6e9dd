/**
 * Hardhat 2: `hre.privacy` (one PrivacyHelpers per process) and the private-transaction chai matchers,
 * installed into the project's chai once the config and its plugins have loaded; the network is stopped
 * when the test run ends, so `hardhat test` exits.
 */
import { TASK_TEST_RUN_MOCHA_TESTS } from "hardhat/builtin-tasks/task-names";
import { extendConfig, extendEnvironment, subtask } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import { type ChaiLike, privateTransactionMatchers } from "./matchers";
import { PrivacyHelpers, type PrivacyHelpersOptions, PrivacyPluginError, type PrivacyUserConfig, privacyOptions } from "./privacy";

declare module "hardhat/types/config" {
  interface HardhatUserConfig {
    privacy?: PrivacyUserConfig;
  }
  interface HardhatConfig {
    privacy: PrivacyHelpersOptions;
  }
}

declare module "hardhat/types/runtime" {
  interface HardhatRuntimeEnvironment {
    privacy: PrivacyHelpers;
  }
}

const PLUGIN = "flexible-privacy-groups";
/** One per process: the network it starts is the test run's, stopped when the run ends. */
let helpers: PrivacyHelpers | undefined;
let matchersInstalled = false;

extendConfig((config, user) => {
  try {
    config.privacy = privacyOptions((user as { privacy?: unknown }).privacy, config.paths.root);
  } catch (error) {
    // Hardhat prints a plugin error as one line, without a stack trace.
    if (error instanceof PrivacyPluginError) throw new HardhatPluginError(PLUGIN, error.message);
    throw error;
  }
});

type ProjectChai = ChaiLike & { use(plugin: (chai: ChaiLike) => void): unknown };

/** The project's chai, if it has one: the matchers must go into the instance its tests import. */
function projectChai(root: string): ProjectChai | undefined {
  let file: string;
  try {
    file = require.resolve("chai", { paths: [root] });
  } catch {
    return undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- chai 4 is CommonJS; the project's own copy
  return require(file) as ProjectChai;
}

extendEnvironment((hre) => {
  helpers ??= new PrivacyHelpers(hre.config.privacy);
  hre.privacy = helpers;
  if (matchersInstalled) return;
  const chai = projectChai(hre.config.paths.root);
  if (chai === undefined) return;
  chai.use(privateTransactionMatchers);
  matchersInstalled = true;
});

subtask(TASK_TEST_RUN_MOCHA_TESTS).setAction(async (args, _hre, runSuper) => {
  try {
    return await runSuper(args);
  } finally {
    await helpers?.stop();
  }
});
