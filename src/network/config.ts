import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { blobDifferences, describeDifference } from "../core/blob";
import { parseTesseraKey } from "../core/keys";
import { defaultNetworkConfig, packageGroupGenesis } from "./defaults";
import { MAX_BATCH_SIZE } from "./rpc/http-server";
import type {
  AccessRules,
  GroupGenesis,
  GroupGenesisAccount,
  JwtAlgorithm,
  JwtConfig,
  NetworkConfig,
  NodeConfig,
} from "./types";
import { GROUP_ADDRESSES } from "../core/constants";

/**
 * The one error a wrong configuration raises: `field` is the path inside the JSON file
 * (`nodes[1].jwt.publicKeyFile`), and the message says what is wrong and what to do.
 */
export class NetworkConfigError extends Error {
  readonly field: string;

  constructor(field: string, problem: string, source?: string) {
    super(`${source === undefined ? "" : source + ": "}${field === "" ? "config" : field}: ${problem}`);
    this.name = "NetworkConfigError";
    this.field = field;
  }
}

export const ACCESS_RULES: readonly AccessRules[] = ["documented", "besu-25.5"];
export const JWT_ALGORITHMS: readonly JwtAlgorithm[] = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"];
/** Besu's default for --rpc-http-authentication-jwt-algorithm. */
const DEFAULT_JWT_ALGORITHM: JwtAlgorithm = "RS256";
const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const EC_CURVES: Record<string, string> = { ES256: "prime256v1", ES384: "secp384r1", ES512: "secp521r1" };

/** The limits a command-line flag may set over the file: each field's flag and its range. */
export const LIMITS = {
  privateGasCap: { flag: "--private-gas-cap", min: 1_000_000, max: Number.MAX_SAFE_INTEGER },
  privateTimeoutMs: { flag: "--private-timeout-ms", min: 10, max: 3_600_000 },
  maxExpensivePerBatch: { flag: "--max-expensive-per-batch", min: 1, max: MAX_BATCH_SIZE },
  maxFiltersPerTenant: { flag: "--max-filters-per-tenant", min: 1, max: 1_000_000 },
  maxFilterAddresses: { flag: "--max-filter-addresses", min: 1, max: 1_000_000 },
  maxFilterTopics: { flag: "--max-filter-topics", min: 1, max: 1_000_000 },
  filterTimeoutMs: { flag: "--filter-timeout-ms", min: 100, max: 86_400_000 },
  maxSubscriptionsPerConnection: { flag: "--max-subscriptions-per-connection", min: 1, max: 1_000_000 },
  maxWsBufferedBytes: { flag: "--max-ws-buffered-bytes", min: 1, max: 1_073_741_824 },
} as const;
export type LimitField = keyof typeof LIMITS;

const TOP_LEVEL_FIELDS = ["chainId", "blockTime", "host", "groupGenesis", "accessRules", "accounts", "nodes", ...Object.keys(LIMITS)];
const NODE_FIELDS = ["name", "rpcPort", "wsPort", "enclaveKeys", "multiTenancy", "jwt"];
const JWT_FIELDS = ["publicKeyFile", "algorithm", "maxTokenAge"];
/** The longest jwt.maxTokenAge, in seconds (a year). */
const MAX_TOKEN_AGE = 31_536_000;
const GENESIS_ACCOUNT_FIELDS = ["balance", "code", "storage"];
const CUSTOM_GENESIS_FIELDS = ["file", "custom"];

/**
 * Refuses a group genesis that is not this package's blob (genesis/alloc.json) in every account and field,
 * naming each difference; `remedy` says how to run other contracts on purpose.
 */
export function checkGroupGenesis(genesis: GroupGenesis, remedy: string, field = "groupGenesis", source?: string): void {
  const differences = blobDifferences(genesis, packageGroupGenesis());
  if (differences.length === 0) return;
  throw new NetworkConfigError(
    field,
    `is not this package's blob (genesis/alloc.json): ${differences.map(describeDifference).join("; ")}; ${remedy}`,
    source,
  );
}

export interface ConfigOptions {
  /** Folder that relative file names resolve against (the config file's folder). */
  baseDir?: string;
  /** Overrides the file's `host` (the `--host` flag). */
  host?: string;
  /** Override the file's limits, as the flags' text (`--private-timeout-ms 20000`). */
  limits?: Partial<Record<LimitField, string>>;
  /** Sets jwt.maxTokenAge on every multi-tenancy node, as the flag's text (`--max-token-age 300`). */
  maxTokenAge?: string;
  /** Names the config in error messages, usually the file name. */
  source?: string;
}

/**
 * Reads and validates a JSON config file (relative paths resolve against its folder).
 * Without a file, returns the default network. Throws NetworkConfigError on anything wrong.
 */
export function loadNetworkConfig(
  file?: string,
  options: Pick<ConfigOptions, "host" | "limits" | "maxTokenAge"> = {},
): NetworkConfig {
  if (file === undefined) return parseNetworkConfig({}, options);
  const text = readConfigFile(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NetworkConfigError("", `is not valid JSON (${(error as Error).message}); fix the syntax`, file);
  }
  return parseNetworkConfig(json, { ...options, baseDir: path.dirname(path.resolve(file)), source: file });
}

/** Validates a parsed config object and fills in every default. Throws NetworkConfigError. */
export function parseNetworkConfig(json: unknown, options: ConfigOptions = {}): NetworkConfig {
  const reader = new ConfigReader(options.baseDir ?? process.cwd(), options.source);
  const config = reader.network(json, options.host, options.limits ?? {});
  if (options.maxTokenAge !== undefined) reader.setMaxTokenAge(config, options.maxTokenAge);
  return config;
}

function readConfigFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new NetworkConfigError("--config", `cannot read ${file} (${describeFsError(error)}); check the path`);
  }
}

function describeFsError(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** Walks the JSON once, carrying the source name so every error can say where it is. */
class ConfigReader {
  constructor(
    private readonly baseDir: string,
    private readonly source: string | undefined,
  ) {}

  network(json: unknown, hostOverride: string | undefined, limitFlags: Partial<Record<LimitField, string>>): NetworkConfig {
    const defaults = defaultNetworkConfig();
    const raw = this.object(json, "", TOP_LEVEL_FIELDS);
    const config: NetworkConfig = {
      chainId: raw.chainId === undefined ? defaults.chainId : this.chainId(raw.chainId),
      blockTime: raw.blockTime === undefined ? defaults.blockTime : this.blockTime(raw.blockTime),
      host: raw.host === undefined ? defaults.host : this.host(raw.host, "host"),
      groupGenesis: defaults.groupGenesis,
      accessRules: raw.accessRules === undefined ? defaults.accessRules : this.accessRules(raw.accessRules),
      accounts: raw.accounts === undefined ? defaults.accounts : this.accounts(raw.accounts),
      nodes: raw.nodes === undefined ? defaults.nodes : this.nodes(raw.nodes),
      privateGasCap: defaults.privateGasCap,
      privateTimeoutMs: defaults.privateTimeoutMs,
      maxExpensivePerBatch: defaults.maxExpensivePerBatch,
      maxFiltersPerTenant: defaults.maxFiltersPerTenant,
      maxFilterAddresses: defaults.maxFilterAddresses,
      maxFilterTopics: defaults.maxFilterTopics,
      filterTimeoutMs: defaults.filterTimeoutMs,
      maxSubscriptionsPerConnection: defaults.maxSubscriptionsPerConnection,
      maxWsBufferedBytes: defaults.maxWsBufferedBytes,
    };
    if (raw.groupGenesis !== undefined) Object.assign(config, this.groupGenesisSetting(raw.groupGenesis));
    if (hostOverride !== undefined) config.host = this.host(hostOverride, "--host");
    for (const [field, { flag, min, max }] of Object.entries(LIMITS) as [LimitField, (typeof LIMITS)[LimitField]][]) {
      if (raw[field] !== undefined) config[field] = this.integer(raw[field], field, min, max);
      const flagValue = limitFlags[field];
      // A flag's text is a number only if it is all digits ("1e6" or "5s" are refused with the text itself).
      if (flagValue !== undefined) config[field] = this.integer(/^[0-9]+$/.test(flagValue) ? Number(flagValue) : flagValue, flag, min, max);
    }
    return config;
  }

  /** The --max-token-age flag: every multi-tenancy node's jwt.maxTokenAge; a flag no node would use is refused. */
  setMaxTokenAge(config: NetworkConfig, text: string): void {
    const flag = "--max-token-age";
    const seconds = this.integer(/^[0-9]+$/.test(text) ? Number(text) : text, flag, 1, MAX_TOKEN_AGE);
    const jwts = config.nodes.flatMap((node) => (node.jwt === undefined ? [] : [node.jwt]));
    if (jwts.length === 0) this.fail(flag, "applies to multi-tenancy nodes, and no node has multiTenancy: true; remove the flag");
    for (const jwt of jwts) jwt.maxTokenAge = seconds;
  }

  private fail(field: string, problem: string): never {
    throw new NetworkConfigError(field, problem, this.source);
  }

  private object(value: unknown, field: string, known: readonly string[]): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.fail(field, `must be a JSON object, got ${describe(value)}`);
    }
    const record = value as Record<string, unknown>;
    for (const name of Object.keys(record)) {
      if (!known.includes(name)) {
        this.fail(join(field, name), `unknown field; remove it (known fields: ${known.join(", ")})`);
      }
    }
    return record;
  }

  private integer(value: unknown, field: string, min: number, max: number): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.fail(field, `must be an integer from ${min} to ${max}, got ${describe(value)}`);
    }
    return value;
  }

  private string(value: unknown, field: string): string {
    if (typeof value !== "string" || value.length === 0)
      this.fail(field, `must be a non-empty string, got ${describe(value)}`);
    return value;
  }

  private array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value) || value.length === 0)
      this.fail(field, `must be a non-empty array, got ${describe(value)}`);
    return value;
  }

  private chainId(value: unknown): number {
    // v = 35 + 2·chainId must stay a safe integer for every signer.
    return this.integer(value, "chainId", 1, Math.floor((Number.MAX_SAFE_INTEGER - 36) / 2));
  }

  private blockTime(value: unknown): number {
    return this.integer(value, "blockTime", 0, 3600);
  }

  private host(value: unknown, field: string): string {
    const host = this.string(value, field);
    if (/\s/.test(host)) this.fail(field, `must be a host name or IP address, got ${JSON.stringify(host)}`);
    return host;
  }

  private accessRules(value: unknown): AccessRules {
    if (!ACCESS_RULES.includes(value as AccessRules)) {
      this.fail(
        "accessRules",
        `must be ${ACCESS_RULES.map((rule) => JSON.stringify(rule)).join(" or ")}, got ${describe(value)}`,
      );
    }
    return value as AccessRules;
  }

  private accounts(value: unknown): string[] {
    const seen = new Map<string, number>();
    return this.array(value, "accounts").map((entry, index) => {
      const field = `accounts[${index}]`;
      if (typeof entry !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(entry)) {
        this.fail(field, `must be a private key as 0x followed by 64 hex digits, got ${describeSecret(entry)}`);
      }
      const scalar = BigInt(entry);
      if (scalar === 0n || scalar >= SECP256K1_ORDER) {
        this.fail(field, "is not a valid secp256k1 private key (zero or not below the curve order); use another key");
      }
      const normalized = entry.toLowerCase();
      const earlier = seen.get(normalized);
      if (earlier !== undefined) this.fail(field, `repeats accounts[${earlier}]; list each account once`);
      seen.set(normalized, index);
      return normalized;
    });
  }

  private nodes(value: unknown): NodeConfig[] {
    const names = new Map<string, number>();
    const ports = new Map<number, number>();
    const keys = new Map<string, string>();
    return this.array(value, "nodes").map((entry, index) => {
      const field = `nodes[${index}]`;
      const node = this.node(entry, field);
      const sameName = names.get(node.name);
      if (sameName !== undefined)
        this.fail(`${field}.name`, `repeats nodes[${sameName}].name "${node.name}"; give each node its own name`);
      names.set(node.name, index);
      const samePort = ports.get(node.rpcPort);
      if (node.rpcPort !== 0 && samePort !== undefined) {
        this.fail(
          `${field}.rpcPort`,
          `repeats nodes[${samePort}].rpcPort ${node.rpcPort}; give each node its own port (or 0 for a free one)`,
        );
      }
      ports.set(node.rpcPort, index);
      node.enclaveKeys.forEach((key, keyIndex) => {
        const keyField = `${field}.enclaveKeys[${keyIndex}]`;
        const holder = keys.get(key);
        if (holder !== undefined) this.fail(keyField, `repeats ${holder}; an enclave key belongs to exactly one node`);
        keys.set(key, keyField);
      });
      return node;
    });
  }

  private node(value: unknown, field: string): NodeConfig {
    const raw = this.object(value, field, NODE_FIELDS);
    for (const required of ["name", "rpcPort", "enclaveKeys"]) {
      if (raw[required] === undefined)
        this.fail(join(field, required), "is missing; every node needs name, rpcPort and enclaveKeys");
    }
    const multiTenancy = raw.multiTenancy === undefined ? false : raw.multiTenancy;
    if (typeof multiTenancy !== "boolean")
      this.fail(`${field}.multiTenancy`, `must be true or false, got ${describe(multiTenancy)}`);
    const node: NodeConfig = {
      name: this.string(raw.name, `${field}.name`),
      rpcPort: this.integer(raw.rpcPort, `${field}.rpcPort`, 0, 65535),
      enclaveKeys: this.enclaveKeys(raw.enclaveKeys, `${field}.enclaveKeys`),
      multiTenancy,
    };
    if (raw.wsPort !== undefined) node.wsPort = this.integer(raw.wsPort, `${field}.wsPort`, 0, 65535);
    if (multiTenancy && raw.jwt === undefined) {
      this.fail(
        `${field}.jwt`,
        'is missing; a multiTenancy node needs jwt: { "publicKeyFile": "<PEM file>", "algorithm": "RS256" }',
      );
    }
    if (!multiTenancy && raw.jwt !== undefined) {
      this.fail(`${field}.jwt`, "is only used with multiTenancy: true; remove it or set multiTenancy to true");
    }
    if (raw.jwt !== undefined) node.jwt = this.jwt(raw.jwt, `${field}.jwt`);
    return node;
  }

  private enclaveKeys(value: unknown, field: string): string[] {
    const seen = new Map<string, number>();
    return this.array(value, field).map((key, index) => {
      const keyField = `${field}[${index}]`;
      try {
        parseTesseraKey(key as string);
      } catch (error) {
        this.fail(keyField, `${(error as Error).message}; use the node's Tessera public key (the .pub file's base64)`);
      }
      const earlier = seen.get(key as string);
      if (earlier !== undefined) this.fail(keyField, `repeats ${field}[${earlier}]; list each key once`);
      seen.set(key as string, index);
      return key as string;
    });
  }

  private jwt(value: unknown, field: string): JwtConfig {
    const raw = this.object(value, field, JWT_FIELDS);
    if (raw.publicKeyFile === undefined)
      this.fail(`${field}.publicKeyFile`, "is missing; name the PEM file of the key that verifies tenants' tokens");
    const algorithm = raw.algorithm === undefined ? DEFAULT_JWT_ALGORITHM : raw.algorithm;
    if (!JWT_ALGORITHMS.includes(algorithm as JwtAlgorithm)) {
      this.fail(`${field}.algorithm`, `must be one of ${JWT_ALGORITHMS.join(", ")}, got ${describe(algorithm)}`);
    }
    const keyField = `${field}.publicKeyFile`;
    const publicKeyPem = this.readFile(raw.publicKeyFile, keyField);
    this.checkPublicKey(publicKeyPem, algorithm as JwtAlgorithm, keyField);
    const jwt: JwtConfig = { publicKeyPem, algorithm: algorithm as JwtAlgorithm };
    if (raw.maxTokenAge !== undefined) jwt.maxTokenAge = this.integer(raw.maxTokenAge, `${field}.maxTokenAge`, 1, MAX_TOKEN_AGE);
    return jwt;
  }

  /** The key must be a PEM public key of the algorithm's family (and curve), or no token could ever verify. */
  private checkPublicKey(pem: string, algorithm: JwtAlgorithm, field: string): void {
    let key: crypto.KeyObject;
    try {
      key = crypto.createPublicKey(pem);
    } catch {
      this.fail(
        field,
        "is not a PEM public key; export the public half of the signing key (-----BEGIN PUBLIC KEY-----)",
      );
    }
    const wanted = algorithm.startsWith("RS") ? "rsa" : "ec";
    if (key.asymmetricKeyType !== wanted) {
      this.fail(
        field,
        `holds a ${key.asymmetricKeyType ?? "unknown"} key but algorithm ${algorithm} needs an ${wanted.toUpperCase()} key`,
      );
    }
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (wanted === "ec" && curve !== EC_CURVES[algorithm]) {
      this.fail(
        field,
        `holds an EC key on ${curve ?? "an unknown curve"} but ${algorithm} needs ${EC_CURVES[algorithm]}`,
      );
    }
  }

  private readFile(value: unknown, field: string): string {
    const name = this.string(value, field);
    const file = path.resolve(this.baseDir, name);
    try {
      return fs.readFileSync(file, "utf8");
    } catch (error) {
      return this.fail(
        field,
        `cannot read ${file} (${describeFsError(error)}); check the path (relative paths start at the config file's folder)`,
      );
    }
  }

  /** `"alloc.json"` must be the blob; `{ "file": "alloc.json", "custom": true }` may be any alloc. */
  private groupGenesisSetting(value: unknown): Pick<NetworkConfig, "groupGenesis" | "customGroupGenesis"> {
    if (typeof value !== "object" || value === null) {
      const groupGenesis = this.groupGenesis(value, "groupGenesis");
      const remedy = `to run other contracts on purpose, write "groupGenesis": { "file": ${JSON.stringify(value)}, "custom": true }`;
      checkGroupGenesis(groupGenesis, remedy, "groupGenesis", this.source);
      return { groupGenesis };
    }
    const raw = this.object(value, "groupGenesis", CUSTOM_GENESIS_FIELDS);
    if (raw.custom !== true) {
      this.fail("groupGenesis.custom", `must be true (an alloc other than the blob), got ${describe(raw.custom)}; or name the file alone`);
    }
    return { groupGenesis: this.groupGenesis(raw.file, "groupGenesis.file"), customGroupGenesis: true };
  }

  private groupGenesis(value: unknown, field: string): GroupGenesis {
    const text = this.readFile(value, field);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      this.fail(
        field,
        `is not valid JSON (${(error as Error).message}); point it at an alloc such as genesis/alloc.json`,
      );
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      this.fail(field, `must hold a JSON object of accounts (an alloc), got ${describe(json)}`);
    }
    const genesis: GroupGenesis = {};
    for (const [address, account] of Object.entries(json as Record<string, unknown>)) {
      if (!/^0x[0-9a-fA-F]{40}$/.test(address))
        this.fail(`${field}["${address}"]`, "is not an address (0x followed by 40 hex digits)");
      const normalized = address.toLowerCase();
      if (genesis[normalized] !== undefined)
        this.fail(`${field}["${address}"]`, "repeats an address in another case; list each account once");
      genesis[normalized] = this.genesisAccount(account, `${field}["${address}"]`);
    }
    for (const required of GROUP_ADDRESSES) {
      if (genesis[required] === undefined || genesis[required].code === "0x") {
        this.fail(
          field,
          `has no code at ${required}; the group genesis needs the management contract (0x…7b) and the proxy (0x…7c)`,
        );
      }
    }
    return genesis;
  }

  private genesisAccount(value: unknown, field: string): GroupGenesisAccount {
    const raw = this.object(value, field, GENESIS_ACCOUNT_FIELDS);
    if (typeof raw.code !== "string" || !/^0x(?:[0-9a-fA-F]{2})*$/.test(raw.code)) {
      this.fail(`${field}.code`, `must be 0x-prefixed hex of whole bytes, got ${describe(raw.code)}`);
    }
    const account: GroupGenesisAccount = { code: raw.code.toLowerCase() };
    if (raw.balance !== undefined) {
      if (typeof raw.balance !== "string" || !/^(?:0x[0-9a-fA-F]+|[0-9]+)$/.test(raw.balance)) {
        this.fail(`${field}.balance`, `must be a hex (0x…) or decimal string, got ${describe(raw.balance)}`);
      }
      account.balance = raw.balance;
    }
    if (raw.storage !== undefined) account.storage = this.storage(raw.storage, `${field}.storage`);
    return account;
  }

  private storage(value: unknown, field: string): Record<string, string> {
    if (typeof value !== "object" || value === null || Array.isArray(value))
      this.fail(field, `must be an object of slot: value, got ${describe(value)}`);
    const storage: Record<string, string> = {};
    for (const [slot, word] of Object.entries(value as Record<string, unknown>)) {
      if (!isWord(slot)) this.fail(`${field}["${slot}"]`, "is not a storage slot (0x followed by 1 to 64 hex digits)");
      if (!isWord(word))
        this.fail(`${field}["${slot}"]`, `must be a word (0x followed by 1 to 64 hex digits), got ${describe(word)}`);
      storage[slot.toLowerCase()] = (word as string).toLowerCase();
    }
    return storage;
  }
}

function isWord(value: unknown): value is string {
  return typeof value === "string" && /^0x[0-9a-fA-F]{1,64}$/.test(value);
}

function join(parent: string, name: string): string {
  return parent === "" ? name : `${parent}.${name}`;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value);
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

/** Never echo what may be most of a private key back into a terminal or a log. */
function describeSecret(value: unknown): string {
  return typeof value === "string" ? `a string of ${value.length} characters` : describe(value);
}
