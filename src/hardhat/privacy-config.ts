/**
 * The `privacy` part of a Hardhat config, checked when the config loads. Kept apart from the helpers, which
 * load the client (and, in this repository, the typed bindings a compile generates) only when a test uses them.
 */
import path from "node:path";
import type { NetworkConfig } from "../network/types";

/** A helper that cannot run as configured; the message names the thing and the fix, in one line. */
export class PrivacyPluginError extends Error {
  override name = "PrivacyPluginError";
}

export interface PrivacyHelpersOptions {
  /** The network to start (default: the default three nodes); every node's rpcPort is replaced by 0. */
  config?: () => NetworkConfig;
}

/** What a project may set under `privacy` in its Hardhat config. */
export interface PrivacyUserConfig {
  /** A development-network config file (the format of `fpg-node --config`), relative to the project root. */
  networkConfig?: string;
}

/** Checks the project's `privacy` config and turns it into helper options; a mistake is one line naming it. */
export function privacyOptions(user: unknown, root: string): PrivacyHelpersOptions {
  if (user === undefined) return {};
  if (typeof user !== "object" || user === null || Array.isArray(user)) {
    throw new PrivacyPluginError(`the Hardhat config's privacy must be an object such as { networkConfig: "privacy-network.json" }`);
  }
  const unknown = Object.keys(user).filter((key) => key !== "networkConfig");
  if (unknown.length > 0) {
    throw new PrivacyPluginError(`the Hardhat config's privacy has no option ${unknown.map((key) => `"${key}"`).join(", ")}; the one option is networkConfig (a network config file)`);
  }
  const { networkConfig } = user as PrivacyUserConfig;
  if (networkConfig === undefined) return {};
  if (typeof networkConfig !== "string" || networkConfig === "") {
    throw new PrivacyPluginError(`the Hardhat config's privacy.networkConfig must be a file name, got ${JSON.stringify(networkConfig)}`);
  }
  const file = path.resolve(root, networkConfig);
  return {
    config: () => {
      // The network's own reader: its errors name the file and the field (nodes[1].jwt.algorithm).
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when the network starts, not with the config
      const { loadNetworkConfig } = require("../network/config") as typeof import("../network/config");
      return loadNetworkConfig(file);
    },
  };
}

