/**
 * Hardhat 2: `hre.privacy` (one PrivacyHelpers per process) and the private-transaction chai matchers,
 * installed into the project's chai when `hardhat test` runs; the network is stopped when the run ends, so
 * `hardhat test` exits. The helpers and the matchers load the client only when used: a config load (and so
 * a compile of a fresh checkout, before the typed bindings exist) loads neither.
 */
import { TASK_TEST_RUN_MOCHA_TESTS } from "hardhat/builtin-tasks/task-names";
import { extendConfig, extendEnvironment, subtask } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import type { ChaiLike } from "./matchers";
import type { PrivacyHelpers } from "./privacy";
import { type PrivacyHelpersOptions, PrivacyPluginError, type PrivacyUserConfig, privacyOptions } from "./privacy-config";

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

extendEnvironment((hre) => {
  Object.defineProperty(hre, "privacy", {
    // Not enumerable: Hardhat copies the enumerable fields of hre into globals, which would read it at load.
    enumerable: false,
    get: (): PrivacyHelpers => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- on first use, not at config load
      const { PrivacyHelpers } = require("./privacy") as typeof import("./privacy");
      helpers ??= new PrivacyHelpers(hre.config.privacy);
      return helpers;
    },
  });
});

type ProjectChai = ChaiLike & { use(plugin: (chai: ChaiLike) => void): unknown };

/** The matchers go into the project's own chai, the instance its tests import (if it has one). */
function installMatchers(root: string): void {
  if (matchersInstalled) return;
  let file: string;
  try {
    file = require.resolve("chai", { paths: [root] });
  } catch {
    return;
  }
  /* eslint-disable @typescript-eslint/no-require-imports -- chai 4 is CommonJS; the matchers load the client */
  const chai = require(file) as ProjectChai;
  const { privateTransactionMatchers } = require("./matchers") as typeof import("./matchers");
  /* eslint-enable @typescript-eslint/no-require-imports */
  chai.use(privateTransactionMatchers);
  matchersInstalled = true;
}

subtask(TASK_TEST_RUN_MOCHA_TESTS).setAction(async (args, hre, runSuper) => {
  installMatchers(hre.config.paths.root);
  try {
    return await runSuper(args);
  } finally {
    await helpers?.stop();
  }
});
