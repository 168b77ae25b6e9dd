import fs from "node:fs";
import path from "node:path";
import { DEFAULT_MAX_EXPENSIVE_PER_BATCH } from "./rpc/http-server";
import { DEFAULT_EXECUTION_LIMITS } from "./state/evm";
import type { GroupGenesis, NetworkConfig } from "./types";

/**
 * The three nodes of web3js-quorum's test network (its integration tests are hard-wired to these ports,
 * enclave keys and accounts), so its suite runs unchanged against the default network.
 */
export const DEFAULT_NODES = [
  {
    name: "node1",
    rpcPort: 20000,
    enclaveKey: "BULeR8JyUWhiuuCMU/HLA0Q5pzkYT+cHII3ZKBey3Bo=",
    privateKey: "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63",
  },
  {
    name: "node2",
    rpcPort: 20002,
    enclaveKey: "QfeDAys9MPDs2XHExtc84jKGHxZg/aj52DTh0vtA3Xc=",
    privateKey: "0xc87509a1c067bbde78beb793e6fa76530b6382a4c0241e5e4a9ec0a0f44dc0d3",
  },
  {
    name: "node3",
    rpcPort: 20004,
    enclaveKey: "1iTZde/ndBHvzhcl7V68x44Vx7pl8nwx9LqnM/AfJUg=",
    privateKey: "0xae6ae8e5ccbfb04590405997ee2d52d2b330726137b875053c36d94e974d162f",
  },
] as const;

/** This package's exported blob: genesis/alloc.json at the package root (two levels up from src/network or dist/src/network). */
export function packageGroupGenesis(): GroupGenesis {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "genesis", "alloc.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("genesis/alloc.json not found above " + __dirname + ": run `npm run export`");
    dir = parent;
  }
  return JSON.parse(fs.readFileSync(path.join(dir, "genesis", "alloc.json"), "utf8")) as GroupGenesis;
}

/** The default network: web3js-quorum's three nodes on 127.0.0.1, chain 1337, a block per marker transaction. */
export function defaultNetworkConfig(): NetworkConfig {
  return {
    chainId: 1337,
    blockTime: 0,
    host: "127.0.0.1",
    groupGenesis: packageGroupGenesis(),
    accessRules: "documented",
    accounts: DEFAULT_NODES.map((node) => node.privateKey),
    nodes: DEFAULT_NODES.map((node) => ({
      name: node.name,
      rpcPort: node.rpcPort,
      enclaveKeys: [node.enclaveKey],
      multiTenancy: false,
    })),
    privateGasCap: Number(DEFAULT_EXECUTION_LIMITS.gasCap),
    privateTimeoutMs: DEFAULT_EXECUTION_LIMITS.timeoutMs,
    maxExpensivePerBatch: DEFAULT_MAX_EXPENSIVE_PER_BATCH,
    maxFiltersPerTenant: 100,
    maxFilterAddresses: 1_000,
    maxFilterTopics: 1_000,
    filterTimeoutMs: 10 * 60_000,
    maxSubscriptionsPerConnection: 100,
    maxWsBufferedBytes: 16 * 1024 * 1024,
  };
}
