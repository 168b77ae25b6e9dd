#!/usr/bin/env node
/**
 * `fpg-node` / `npm run node`: runs the flexible-privacy development network in the foreground, like
 * `hardhat node`: prints each node's URL, enclave keys and accounts, then one line per private transaction.
 */
import { type ParseArgsConfig, parseArgs as parseCommandLine } from "node:util";
import v8 from "node:v8";
import { Interface, computeAddress } from "ethers";
import { FlexiblePrivacyGroupManagement__factory, FlexiblePrivacyGroupProxy__factory } from "../typechain";
import { LIMITS, type LimitField, NetworkConfigError, loadNetworkConfig } from "./config";
import { type PrivacyNetwork, type PrivateTransactionEntry, type StartOptions, StateFileError, startPrivacyNetwork } from "./index";
import type { NetworkConfig } from "./types";

export const USAGE = `Usage: fpg-node [--config FILE] [--host HOST] [--private-gas-cap GAS] [--private-timeout-ms MS]
                [--max-expensive-per-batch N] [--max-token-age SECONDS]
                [--state FILE | --load-state FILE | --dump-state FILE]

Runs a local Besu 25.5-compatible flexible-privacy network until Ctrl-C.

Options:
  --config FILE  JSON configuration (chainId, blockTime, groupGenesis, accessRules, accounts, nodes, host);
                 relative paths in it resolve against its folder. Default: three nodes on 20000/20002/20004.
  --host HOST    address every node binds (default 127.0.0.1)
  --private-gas-cap GAS        gas of every private execution (default the block gas limit, 30000000)
  --private-timeout-ms MS      wall-clock budget of every private execution (default 5000)
  --max-expensive-per-batch N  priv_call, eth_call, sends and traces one batch may hold (default 16)
  --max-filters-per-tenant N   private filters one tenant (or node) may hold (default 100)
  --max-filter-addresses N     addresses one private filter may name (default 1000)
  --max-filter-topics N        topics one private filter may name (default 1000)
  --filter-timeout-ms MS       an unpolled private filter is uninstalled after this (default 600000)
  --max-subscriptions-per-connection N  WebSocket subscriptions one connection may hold (default 100)
  --max-ws-buffered-bytes N    bytes a WebSocket may hold unsent before it is closed (default 16777216)
                 Each overrides the config field of the same name (privateGasCap, filterTimeoutMs, …).
  --max-token-age SECONDS      every multi-tenancy node refuses a token whose iat is older, or that has
                               no iat (sets each node's jwt.maxTokenAge)
  --state FILE       load the network's saved state from FILE if it exists, and save it there on
                     Ctrl-C/SIGTERM (like anvil --state)
  --load-state FILE  load the saved state from FILE at start (it must exist)
  --dump-state FILE  save the state to FILE on Ctrl-C/SIGTERM
  --help         show this help`;

export interface CliOptions {
  config?: string;
  host?: string;
  /** The limit flags' text, by config field (absent without any). */
  limits?: Partial<Record<LimitField, string>>;
  maxTokenAge?: string;
  /** The state-file flags: startPrivacyNetwork's options of the same names. */
  state?: Pick<StartOptions, "stateFile" | "loadState" | "dumpState">;
  help: boolean;
}

const LIMIT_BY_FLAG = new Map(Object.entries(LIMITS).map(([field, { flag }]) => [flag as string, field as LimitField]));

/** A command line that cannot run: the message says which flag and why. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The flags, for node:util's parser: every one but --help takes a value. */
const FLAGS = {
  help: { type: "boolean", short: "h" },
  config: { type: "string" },
  host: { type: "string" },
  "max-token-age": { type: "string" },
  state: { type: "string" },
  "load-state": { type: "string" },
  "dump-state": { type: "string" },
  ...Object.fromEntries([...LIMIT_BY_FLAG.keys()].map((flag) => [flag.slice(2), { type: "string" }])),
} as const satisfies ParseArgsConfig["options"];

export function parseArgs(argv: readonly string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseCommandLine({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(usageMessage(error as Error & { code?: string }));
  }
  // A value that is empty, or that is the next flag (`--config --host x`), is a missing value.
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === "string" && (value === "" || (value.startsWith("--") && argv.includes(value)))) {
      throw new UsageError(`--${name} needs a value`);
    }
  }
  const options: CliOptions = { help: values.help === true };
  if (typeof values.config === "string") options.config = values.config;
  if (typeof values.host === "string") options.host = values.host;
  if (typeof values["max-token-age"] === "string") options.maxTokenAge = values["max-token-age"];
  if (typeof values.state === "string") options.state = { stateFile: values.state };
  for (const [flag, option] of [["load-state", "loadState"], ["dump-state", "dumpState"]] as const) {
    const file = values[flag];
    if (typeof file !== "string") continue;
    if (options.state?.stateFile !== undefined) throw new UsageError(`--state already loads and saves the state; leave out --${flag}`);
    options.state = { ...options.state, [option]: file };
  }
  for (const [flag, field] of LIMIT_BY_FLAG) {
    const value = values[flag.slice(2)];
    if (typeof value === "string") options.limits = { ...options.limits, [field]: value };
  }
  return options;
}

/** node:util's parse errors in this CLI's words: which flag, and why. */
function usageMessage(error: Error & { code?: string }): string {
  const flag = /'(-[^'\s]*)/.exec(error.message)?.[1];
  switch (error.code) {
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return `${flag?.split(" ")[0] ?? "a flag"} needs a value`;
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unknown argument ${JSON.stringify(/'([^']*)'/.exec(error.message)?.[1] ?? "")}`;
    default:
      return error.message;
  }
}

/** The functions of the group's contracts by selector, so a line can say "addParticipants" instead of 0x965a25ef. */
const KNOWN_FUNCTIONS = new Interface([
  ...FlexiblePrivacyGroupManagement__factory.abi.filter((fragment) => fragment.type === "function"),
  ...FlexiblePrivacyGroupProxy__factory.abi.filter((fragment) => fragment.type === "function"),
]);

export function methodName(entry: Pick<PrivateTransactionEntry, "to" | "data">): string {
  if (entry.to === null) return "deploy";
  const selector = entry.data.slice(0, 10);
  if (selector.length < 10) return "(no selector)";
  return KNOWN_FUNCTIONS.getFunction(selector)?.name ?? selector;
}

export function describeStatus(entry: Pick<PrivateTransactionEntry, "status" | "dropped" | "dropReason">): string {
  if (entry.dropped) return `dropped (0x0): ${entry.dropReason ?? "unknown"}`;
  return { "0x1": "success (0x1)", "0x0": "reverted (0x0)", "0x2": "invalid (0x2)" }[entry.status];
}

/** One line per private transaction, like hardhat node's per-transaction log. */
export function formatEntry(entry: PrivateTransactionEntry): string {
  return [
    `private tx ${entry.markerHash}`,
    `  group ${entry.privacyGroupId ?? "(none)"}  from ${entry.sender}  ${methodName(entry)}  ${describeStatus(entry)}`,
  ].join("\n");
}

export function formatBanner(config: NetworkConfig, network: PrivacyNetwork): string {
  const lines = [
    `Flexible-privacy development network (Besu 25.5 privacy API): ${network.nodes.length} nodes, chain ${config.chainId}, ` +
      (config.blockTime === 0 ? "a block per marker transaction" : `a block every ${config.blockTime} s`) +
      `, access rules "${config.accessRules}"`,
    "",
  ];
  for (const [i, node] of network.nodes.entries()) {
    const tenancy = config.nodes[i].multiTenancy ? `  (multi-tenancy, ${config.nodes[i].jwt?.algorithm} JWT)` : "";
    lines.push(`${node.name}  ${node.url}${tenancy}`, ...node.enclaveKeys.map((key) => `  enclave key ${key}`));
  }
  lines.push(
    "",
    "Accounts",
    "========",
    "",
    "WARNING: these private keys are publicly known. Never use them on a real network.",
    "",
  );
  for (const [i, key] of config.accounts.entries()) {
    lines.push(`Account #${i}: ${computeAddress(key)}`, `Private Key: ${key}`, "");
  }
  lines.push("Private transactions (one line per transaction, as the first node processed it):");
  return lines.join("\n");
}

/** Prints each marker hash once: every node that processes a transaction reports it, history replays included. */
export function entryPrinter(
  print: (line: string) => void,
  remember = 10_000,
): (entry: PrivateTransactionEntry) => void {
  const seen = new Set<string>();
  return (entry) => {
    if (entry.replayed || seen.has(entry.markerHash)) return;
    seen.add(entry.markerHash);
    // Forget the oldest so a long-running network keeps bounded memory.
    if (seen.size > remember) seen.delete(seen.values().next().value as string);
    print(formatEntry(entry));
  };
}

/**
 * Prints the lines of one turn of the event loop together, once the turn is over: each write to a pipe
 * is a system call, and on a busy network the log should neither delay the answers nor cost a call per line.
 */
export function printAfterTurn(print: (text: string) => void): (line: string) => void {
  let pending: string[] = [];
  return (line) => {
    if (pending.length === 0) {
      setImmediate(() => {
        const text = pending.join("\n");
        pending = [];
        print(text);
      });
    }
    pending.push(line);
  };
}

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: Io = { out: (line) => console.log(line), err: (line) => console.error(line) };

/**
 * Starts the network and returns it, or prints one error and returns the exit code when the command
 * line or the config is wrong (1) or the state file cannot be loaded (2): nothing listens until all are valid.
 */
export async function run(argv: readonly string[], io: Io = consoleIo): Promise<PrivacyNetwork | number> {
  let options: CliOptions;
  let config: NetworkConfig;
  try {
    options = parseArgs(argv);
    if (options.help) {
      io.out(USAGE);
      return 0;
    }
    config = loadNetworkConfig(options.config, { host: options.host, limits: options.limits, maxTokenAge: options.maxTokenAge });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`Error: ${error.message}\n\n${USAGE}`);
      return 1;
    }
    if (error instanceof NetworkConfigError) {
      io.err(`Error in configuration: ${error.message}`);
      return 1;
    }
    throw error;
  }
  try {
    const network = await startPrivacyNetwork(config, {
      onPrivateTransaction: entryPrinter(printAfterTurn(io.out)),
      onWarning: (line) => io.err(`Warning: ${line}`),
      ...options.state,
    });
    io.out(formatBanner(config, network));
    return network;
  } catch (error) {
    if (error instanceof StateFileError) {
      io.err(`Error in state file ${error.message}`);
      return 2;
    }
    io.err(`Error: the network did not start: ${(error as Error).message}`);
    return 1;
  }
}

/** Stops the network on the first SIGINT/SIGTERM; a second one exits at once. */
export function stopOnSignals(network: PrivacyNetwork, io: Io = consoleIo): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130);
    stopping = true;
    io.out(`\n${signal}: stopping the network...`);
    network.stop().then(
      () => {
        io.out("Stopped.");
        process.exit(0);
      },
      (error: unknown) => {
        io.err(`Error while stopping: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/**
 * V8's smaller-heap mode, set when this file runs as the command: the network keeps many small objects
 * for its whole life, and by default V8 keeps about twice the heap it uses committed. After 2,000 private
 * transactions it halves the resident memory, for about a tenth of the throughput. Only for this
 * process: startPrivacyNetwork() in a user's own process leaves V8 as it is.
 */
export const SMALL_HEAP_FLAG = "--optimize-for-size";

if (require.main === module) {
  v8.setFlagsFromString(SMALL_HEAP_FLAG);
  run(process.argv.slice(2)).then(
    (outcome) => {
      if (typeof outcome === "number") process.exit(outcome);
      stopOnSignals(outcome);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
