/**
 * Hardhat 3's hooks: the `privacy` helpers on every network connection (`const { ethers, privacy } = await
 * network.create()`, as `ethers` and `networkHelpers` come), the private-transaction matchers in the
 * project's chai, the `privacy` config checked when the config loads, the storage layout in every
 * compiler's output (fpg:check-upgrade reads it), and the network stopped when the test run ends. Hook handlers in Hardhat 3's shape (a module whose default export makes the handlers), written
 * without Hardhat 3's types: this package builds against Hardhat 2.
 */
import { pathToFileURL } from "node:url";
import type { ChaiLike } from "./matchers";
import type { PrivacyHelpers } from "./privacy";
import { type PrivacyHelpersOptions, PrivacyPluginError, privacyOptions } from "./privacy-config";

/** What these handlers read of Hardhat 3's resolved config and hook context. */
interface Hardhat3Config {
  paths: { root: string };
  privacy?: PrivacyHelpersOptions;
  solidity?: { profiles?: Record<string, { compilers?: CompilerConfig[]; overrides?: Record<string, CompilerConfig> }> };
}
interface CompilerConfig {
  settings?: { outputSelection?: Record<string, Record<string, string[]>> };
}
interface HookContext {
  config: Hardhat3Config;
}
type HandlerModule<T> = Promise<{ default: () => Promise<T> }>;

/** One per process, as on Hardhat 2: every connection's `privacy` is the same helpers and network. */
let helpers: PrivacyHelpers | undefined;
let matchers: Promise<void> | undefined;

function helpersFor(config: Hardhat3Config): PrivacyHelpers {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- on first use: it loads the client and ethers
  const { PrivacyHelpers } = require("./privacy") as typeof import("./privacy");
  helpers ??= new PrivacyHelpers(config.privacy ?? {});
  return helpers;
}

/**
 * An ES module import that TypeScript's CommonJS output keeps as `import()` (it would turn a plain one into
 * `require`, which cannot load chai 5 and 6 on every Node 22): the project's chai is ESM. A Function keeps
 * it, since TypeScript does not rewrite a string.
 */
const importModule = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

/**
 * The matchers go into the chai the project's tests import, once. A project without chai gets none, and so
 * does one without ethers (Hardhat 3's viem toolbox): they judge the ethers client's transactions.
 */
function installMatchers(root: string): Promise<void> {
  matchers ??= (async () => {
    let file: string;
    try {
      file = require.resolve("chai", { paths: [root] });
      require.resolve("ethers");
    } catch {
      return;
    }
    const chai = (await importModule(pathToFileURL(file).href)) as ChaiLike & { use(plugin: (chai: ChaiLike) => void): unknown };
    const { privateTransactionMatchers } = await import("./matchers");
    chai.use(privateTransactionMatchers);
  })();
  return matchers;
}

export const configHandlers = {
  /** A mistake in `privacy` is one line of Hardhat's config errors. */
  async validateUserConfig(user: { privacy?: unknown }): Promise<{ path: string[]; message: string }[]> {
    try {
      privacyOptions(user.privacy, ".");
      return [];
    } catch (error) {
      if (error instanceof PrivacyPluginError) return [{ path: ["privacy"], message: error.message }];
      throw error;
    }
  },
  async resolveUserConfig(
    user: { privacy?: unknown },
    resolveVariable: unknown,
    next: (user: unknown, resolveVariable: unknown) => Promise<Hardhat3Config>,
  ): Promise<Hardhat3Config> {
    const resolved = await next(user, resolveVariable);
    withStorageLayout(resolved);
    return { ...resolved, privacy: privacyOptions(user.privacy, resolved.paths.root) };
  },
};

/**
 * Adds "storageLayout" to what every compiler of every build profile outputs for every contract: Hardhat 3
 * replaces its default output selection with a user's (arrays are not merged), so a project could not add
 * it without restating Hardhat's own list. Copies, so Hardhat's shared default is left alone.
 */
function withStorageLayout(config: Hardhat3Config): void {
  for (const profile of Object.values(config.solidity?.profiles ?? {})) {
    for (const compiler of [...(profile.compilers ?? []), ...Object.values(profile.overrides ?? {})]) {
      const selection = compiler.settings?.outputSelection ?? {};
      const all = selection["*"]?.["*"] ?? [];
      if (all.includes("storageLayout")) continue;
      compiler.settings = {
        ...compiler.settings,
        outputSelection: { ...selection, "*": { ...selection["*"], "*": [...all, "storageLayout"] } },
      };
    }
  }
}

export const networkHandlers = {
  async newConnection<T extends object>(context: HookContext, next: (context: HookContext) => Promise<T>): Promise<T> {
    const connection = await next(context);
    // After the toolbox's matchers (they are added before the first connection is returned).
    await installMatchers(context.config.paths.root);
    // A getter: a connection that never uses privacy (a viem-only project) never loads the client.
    Object.defineProperty(connection, "privacy", { enumerable: true, get: () => helpersFor(context.config) });
    return connection;
  },
};

export const testHandlers = {
  /** The run is over: stop the network, so `hardhat test` exits (Hardhat 3 does not exit the process). */
  async onTestRunDone(context: HookContext, id: string, next: (context: HookContext, id: string) => Promise<void>): Promise<void> {
    try {
      await next(context, id);
    } finally {
      await helpers?.stop();
    }
  },
};

/** `hookHandlers` of the plugin object: each category a module whose default export makes its handlers. */
export const hookHandlers = {
  config: (): HandlerModule<typeof configHandlers> => Promise.resolve({ default: async () => configHandlers }),
  network: (): HandlerModule<typeof networkHandlers> => Promise.resolve({ default: async () => networkHandlers }),
  test: (): HandlerModule<typeof testHandlers> => Promise.resolve({ default: async () => testHandlers }),
};
