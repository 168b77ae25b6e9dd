/**
 * The development network's configuration once resolved: every default filled in, every file read.
 * The JSON file users write has the same field names (see config.ts), except that `groupGenesis` and
 * `jwt.publicKeyFile` name files there and hold their contents here.
 */

/** Which rules a removed multi-tenancy member gets: the seed page's ("documented") or Besu 25.5's code. */
export type AccessRules = "documented" | "besu-25.5";

/** The JWT algorithms Besu 25.5 documents for external tokens. */
export type JwtAlgorithm = "RS256" | "RS384" | "RS512" | "ES256" | "ES384" | "ES512";

export interface JwtConfig {
  /** The PEM text of the public key that verifies tenants' tokens. */
  publicKeyPem: string;
  algorithm: JwtAlgorithm;
  /** When set, a token must carry `iat` and be at most this many seconds old. */
  maxTokenAge?: number;
}

/** One account of a group's genesis state, as in Besu's genesis `alloc`. */
export interface GroupGenesisAccount {
  balance?: string;
  code: string;
  storage?: Record<string, string>;
}

/** The accounts injected into every new group's private state (default: this package's genesis/alloc.json). */
export type GroupGenesis = Record<string, GroupGenesisAccount>;

export interface NodeConfig {
  name: string;
  /** 0 picks a free port; the node's `url` tells which. */
  rpcPort: number;
  /** A separate WebSocket-only port (0 = a free one); WebSocket is served on rpcPort's upgrade too. */
  wsPort?: number;
  /** The Tessera public keys (base64) this node's enclave holds. */
  enclaveKeys: string[];
  multiTenancy: boolean;
  /** Required when multiTenancy is true. */
  jwt?: JwtConfig;
}

export interface NetworkConfig {
  chainId: number;
  /** 0: a block for each marker transaction; N > 0: a block every N seconds. */
  blockTime: number;
  /** The address every node binds (127.0.0.1 by default). */
  host: string;
  groupGenesis: GroupGenesis;
  /** True lets groupGenesis differ from this package's blob; without it the network refuses to start with another. */
  customGroupGenesis?: boolean;
  accessRules: AccessRules;
  /** Private keys (0x-hex) of the funded accounts. */
  accounts: string[];
  nodes: NodeConfig[];
  /** The gas of every private execution (Besu's is unmetered); default the public block gas limit. */
  privateGasCap: number;
  /** Wall-clock milliseconds before a private execution stops as if out of gas. */
  privateTimeoutMs: number;
  /** How many expensive methods (priv_call, eth_call, sends, traces) one JSON-RPC batch may hold. */
  maxExpensivePerBatch: number;
  /** How many private filters one tenant (or, without multi-tenancy, one node) may hold. */
  maxFiltersPerTenant: number;
  /** How many addresses one private filter may name. */
  maxFilterAddresses: number;
  /** How many topics (all positions' alternatives together) one private filter may name. */
  maxFilterTopics: number;
  /** Milliseconds a private filter may go unpolled before it is uninstalled (Besu: 10 minutes). */
  filterTimeoutMs: number;
  /** How many subscriptions (eth_subscribe, priv_subscribe) one WebSocket connection may hold. */
  maxSubscriptionsPerConnection: number;
  /** Bytes a WebSocket may hold unsent (a client not reading its notifications); past it the socket is closed. */
  maxWsBufferedBytes: number;
}
