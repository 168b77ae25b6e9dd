/**
 * The package's Hardhat tasks, declared once: ./tasks registers them on Hardhat 2 and ./plugin turns them
 * into Hardhat 3 task definitions. Each action module loads only when its task runs, so `npx hardhat --help`
 * and every other task stay fast.
 */

/** A task's action: (arguments, hre); the same module serves Hardhat 2 and 3. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each Hardhat passes its own hre type
export type ActionModule = { default: (args: any, hre: any) => Promise<void> };

export interface ParamSpec {
  /** camelCase; both Hardhats spell it --kebab-case on the command line. */
  name: string;
  description: string;
  kind: "flag" | "option" | "positional" | "optional-positional";
  /** A path that must exist (Hardhat 2 checks it). */
  file?: boolean;
}

export interface TaskSpec {
  id: string;
  description: string;
  params: ParamSpec[];
  action: () => Promise<ActionModule>;
}

export const TASKS: readonly TaskSpec[] = [
  {
    id: "fpg:export",
    description:
      "Builds the genesis blob from the package's source and writes genesis/ (in this repository, removing files it does not make)",
    params: [
      { name: "check", kind: "flag", description: "Write nothing; fail with a diff when the folder differs from a fresh build" },
      { name: "out", kind: "option", description: "The folder to write or check (default: genesis/ of the Hardhat project)" },
    ],
    action: () => import("./actions/export"),
  },
  {
    id: "fpg:verify",
    description:
      "Checks that a file or a node holds the blob: the code of 0x…7b and 0x…7c against genesis/manifest.json, an alloc against genesis/alloc.json, a node's proxy implementation",
    params: [
      {
        name: "file",
        kind: "optional-positional",
        description: "A genesis file, an alloc, a runtime .hex or Besu's FlexibleGroupManagement.java",
      },
      {
        name: "rpc",
        kind: "option",
        description: "A node's JSON-RPC URL: reads the code with eth_getCode (or priv_getCode, see --privacy-group-id)",
      },
      { name: "privacyGroupId", kind: "option", description: "With --rpc: read the privacy group's private state (priv_getCode)" },
      { name: "manifest", kind: "option", description: "The manifest to compare with (default: the package's genesis/manifest.json)" },
    ],
    action: () => import("./actions/verify"),
  },
  {
    id: "fpg:genesis",
    description: "Writes the installed package's blob as it ships (alloc.json, the runtime hex files, the manifest, Besu's Java file)",
    params: [{ name: "out", kind: "option", description: "The folder to write (refused if it holds one of the files with other content)" }],
    action: () => import("./actions/genesis"),
  },
  {
    id: "fpg:check-upgrade",
    description: "Checks that a custom management contract is safe to upgrade a group to",
    params: [{ name: "contract", kind: "positional", description: "The candidate: a contract name or source:Name" }],
    action: () => import("./actions/check-upgrade"),
  },
  {
    // The same network as `npm run node`. Hardhat owns `--config` and `--help` (global flags), so the config
    // file is `--network-config` here and help is `npx hardhat help fpg:node`.
    id: "fpg:node",
    description: "Runs the local flexible-privacy development network (Besu 25.5 privacy API) until Ctrl-C",
    params: [
      { name: "networkConfig", kind: "option", file: true, description: "JSON network configuration file" },
      { name: "host", kind: "option", description: "address every node binds (default 127.0.0.1)" },
      // --private-gas-cap, --private-timeout-ms and --max-expensive-per-batch, as fpg-node names them.
      { name: "privateGasCap", kind: "option", description: "gas of every private execution (default the block gas limit)" },
      { name: "privateTimeoutMs", kind: "option", description: "wall-clock budget of every private execution (default 5000)" },
      { name: "maxExpensivePerBatch", kind: "option", description: "expensive methods one JSON-RPC batch may hold (default 16)" },
      {
        name: "maxTokenAge",
        kind: "option",
        description: "seconds: multi-tenancy nodes refuse a token whose iat is older, or missing",
      },
    ],
    action: () => import("./actions/node"),
  },
];
