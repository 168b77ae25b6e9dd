import * as edr from "@nomicfoundation/edr";
import {
  ContractDecoder,
  EdrContext,
  GENERIC_CHAIN_TYPE,
  MineOrdering,
  genericChainProviderFactory,
  l1GenesisState,
  l1HardforkFromString,
  l1HardforkToString,
  type Provider,
  type ProviderConfig,
} from "@nomicfoundation/edr";
import { computeAddress } from "ethers";

/** An EIP-1193 provider: the shape of EDR's (wrapped here), Hardhat's and each node's. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
}

/** What the public chain needs of the engine. */
export interface EngineConfig {
  /** The hardfork, as `edrHardfork` spells it for the installed EDR. */
  hardfork: string;
  chainId: number;
  blockGasLimit: number;
  /** Mine each transaction as it arrives; otherwise only `evm_mine` (the network's timer) mines. */
  automine: boolean;
  accounts: { privateKey: string; balance: bigint }[];
  /** The genesis block's timestamp (seconds); default now. A saved state replays on its own genesis time. */
  initialDate?: bigint;
}

/**
 * A hardfork in the installed EDR's spelling: EDR 0.12 (Hardhat 2.29's) numbers them in `SpecId` and
 * spells Prague "Prague", EDR 0.22 (Hardhat 3.18's) in `L1Hardfork` and spells it "prague".
 */
export function edrHardfork(name: "Prague"): string {
  const enums = edr as unknown as { L1Hardfork?: Record<string, number>; SpecId?: Record<string, number> };
  return l1HardforkToString((enums.L1Hardfork ?? enums.SpecId)![name]);
}

/** A JSON-RPC error from the engine, with the code and data the engine answered. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

/** One EDR context per process, as EDR expects: it owns the runtime every provider shares. */
let context: Promise<EdrContext> | undefined;

function edrContext(): Promise<EdrContext> {
  context ??= (async () => {
    const created = new EdrContext();
    await created.registerProviderFactory(GENERIC_CHAIN_TYPE, genericChainProviderFactory());
    return created;
  })();
  return context;
}

/**
 * Starts an in-process chain on EDR's public API (the engine Hardhat runs), so the network depends on no
 * Hardhat version's internals: free gas (minimum gas price and base fee 0), the accounts funded.
 */
export async function startEngine(config: EngineConfig): Promise<Eip1193Provider> {
  const genesisState = l1GenesisState(l1HardforkFromString(config.hardfork));
  for (const { privateKey, balance } of config.accounts) {
    genesisState.push({
      address: Buffer.from(computeAddress(privateKey).slice(2), "hex"),
      balance,
      code: new Uint8Array(),
    });
  }
  const blockGasLimit = BigInt(config.blockGasLimit);
  // The fields of EDR 0.12 (Hardhat 2.29's) and of EDR 0.22 (Hardhat 3.18's) together: each version reads
  // its own and ignores the other's, so the network runs on the EDR a Hardhat 2 or 3 project already has.
  const providerConfig = {
    allowBlocksWithSameTimestamp: false,
    allowUnlimitedContractSize: false,
    bailOnCallFailure: false,
    bailOnTransactionFailure: false,
    chainId: BigInt(config.chainId),
    coinbase: Buffer.alloc(20),
    genesisState,
    hardfork: config.hardfork,
    initialBaseFeePerGas: 0n,
    minGasPrice: 0n,
    mining: { autoMine: config.automine, blockGasLimit, memPool: { order: MineOrdering.Fifo } },
    networkId: BigInt(config.chainId),
    observability: {},
    ownedAccounts: config.accounts.map((account) => account.privateKey),
    precompileOverrides: [],
    // EDR 0.12:
    blockGasLimit,
    initialDate: config.initialDate,
    // EDR 0.22:
    defaultTransactionGasLimit: blockGasLimit,
    network: { genesisBlockGasLimit: blockGasLimit, genesisBlockTime: config.initialDate },
  };
  const provider = await (
    await edrContext()
  ).createProvider(
    GENERIC_CHAIN_TYPE,
    providerConfig as ProviderConfig,
    { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => undefined },
    { subscriptionCallback: () => undefined },
    new ContractDecoder(),
  );
  return { request: (args) => send(provider, args) };
}

interface JsonRpcResponse {
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

async function send(
  provider: Provider,
  { method, params }: { method: string; params?: unknown[] | object },
): Promise<unknown> {
  const response = await provider.handleRequest(
    JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: params ?? [] }),
  );
  const body = (typeof response.data === "string" ? JSON.parse(response.data) : response.data) as JsonRpcResponse;
  if (body.error !== undefined) {
    // An execution error carries its revert data and transaction hash one level down, as Hardhat passes them on.
    const data = body.error.data as { data?: unknown } | undefined;
    throw new EngineError(
      body.error.message,
      body.error.code,
      typeof data === "object" && data !== null && "data" in data ? data.data : data,
    );
  }
  return body.result;
}
