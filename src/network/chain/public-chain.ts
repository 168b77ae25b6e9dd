import { Transaction } from "ethers";
import { type Eip1193Provider, edrHardfork, startEngine } from "./engine";
import { signWithFreshKey } from "./signatures";
import type { BlockContext } from "../state/evm";
import type { NetworkConfig } from "../types";
import { PRIVACY_PRECOMPILE_ADDRESS } from "../../core/constants";

export type { Eip1193Provider } from "./engine";

export interface ChainTransaction {
  hash: string;
  to: string | null;
  input: string;
  index: number;
}

export interface ChainBlock extends BlockContext {
  hash: string;
  transactions: ChainTransaction[];
}

/** The public chain's hardfork; Besu 25.5 runs Prague on current networks. */
export const PUBLIC_HARDFORK = edrHardfork("Prague");
export const BLOCK_GAS_LIMIT = 30_000_000;
const FUNDED_BALANCE = 10n ** 24n;

interface RpcBlock {
  number: string;
  hash: string;
  timestamp: string;
  miner: string;
  gasLimit: string;
  mixHash: string;
  transactions: { hash: string; to: string | null; input: string; transactionIndex: string }[];
}

/**
 * The shared public chain: EDR (Hardhat's engine) in process, free gas (base fee 0, minimum gas price 0),
 * the config's accounts funded. `follow` hands each new block, in order, to the privacy layer.
 */
export class PublicChain {
  private readonly blocks: ChainBlock[] = [];
  private readonly locations = new Map<string, { blockNumber: number; index: number }>();
  private readonly numbersByHash = new Map<string, number>();

  private constructor(
    readonly provider: Eip1193Provider,
    /** Whether a sent transaction is mined at once (blockTime 0); otherwise only the interval timer mines. */
    readonly minesOnSend: boolean,
  ) {}

  /** `genesisTimestamp` (seconds): a saved state's, so its blocks replay with the same hashes. */
  static async start(config: NetworkConfig, genesisTimestamp?: number): Promise<PublicChain> {
    const provider = await startEngine({
      hardfork: PUBLIC_HARDFORK,
      chainId: config.chainId,
      blockGasLimit: BLOCK_GAS_LIMIT,
      automine: config.blockTime === 0,
      accounts: config.accounts.map((privateKey) => ({ privateKey, balance: FUNDED_BALANCE })),
      initialDate: genesisTimestamp === undefined ? undefined : BigInt(genesisTimestamp),
    });
    const chain = new PublicChain(provider, config.blockTime === 0);
    await chain.follow(async () => undefined);
    return chain;
  }

  get head(): number {
    return this.blocks.length - 1;
  }

  block(blockNumber: number): ChainBlock | undefined {
    return this.blocks[blockNumber];
  }

  blockByHash(hash: string): ChainBlock | undefined {
    const blockNumber = this.numbersByHash.get(hash.toLowerCase());
    return blockNumber === undefined ? undefined : this.blocks[blockNumber];
  }

  blockHash = (blockNumber: number): string | undefined => this.blocks[blockNumber]?.hash;

  /** Where a transaction was mined, if it was. */
  locate(txHash: string): { block: ChainBlock; index: number } | undefined {
    const location = this.locations.get(txHash.toLowerCase());
    return location === undefined ? undefined : { block: this.blocks[location.blockNumber], index: location.index };
  }

  /** Forgets the blocks after `head` (the engine reverted to a snapshot taken there). */
  truncate(head: number): void {
    for (const block of this.blocks.splice(head + 1)) {
      this.numbersByHash.delete(block.hash);
      for (const tx of block.transactions) this.locations.delete(tx.hash);
    }
  }

  /** Reads every block mined since the last call and passes each, in order, to `onBlock`. */
  async follow(onBlock: (block: ChainBlock) => Promise<void>): Promise<void> {
    // Usually one block was mined since the last call: asking for the latest one first saves a request.
    const latest = await this.fetchBlock("latest");
    for (let number = this.blocks.length; number < latest.number; number++)
      await this.accept(await this.fetchBlock(number), onBlock);
    if (latest.number === this.blocks.length) await this.accept(latest, onBlock);
  }

  private async fetchBlock(tag: number | "latest"): Promise<ChainBlock> {
    const param = tag === "latest" ? tag : "0x" + tag.toString(16);
    const raw = (await this.provider.request({ method: "eth_getBlockByNumber", params: [param, true] })) as RpcBlock;
    return {
      number: Number(raw.number),
      hash: raw.hash.toLowerCase(),
      timestamp: BigInt(raw.timestamp),
      coinbase: raw.miner,
      gasLimit: BigInt(raw.gasLimit),
      mixHash: raw.mixHash,
      transactions: raw.transactions.map((tx) => ({
        hash: tx.hash.toLowerCase(),
        to: tx.to === null ? null : tx.to.toLowerCase(),
        input: tx.input.toLowerCase(),
        index: Number(tx.transactionIndex),
      })),
    };
  }

  private async accept(block: ChainBlock, onBlock: (block: ChainBlock) => Promise<void>): Promise<void> {
    this.blocks.push(block);
    this.numbersByHash.set(block.hash, block.number);
    for (const tx of block.transactions) this.locations.set(tx.hash, { blockNumber: block.number, index: tx.index });
    await onBlock(block);
  }

  /** Signs a marker transaction as Besu does without a signing-key file: a fresh key, no chain id. */
  static signMarker(data: string, gasPrice: bigint, gasLimit: bigint): string {
    const marker = Transaction.from({ type: 0, to: PRIVACY_PRECOMPILE_ADDRESS, data, gasPrice, gasLimit, nonce: 0, value: 0 });
    marker.signature = signWithFreshKey(marker.unsignedHash);
    return marker.serialized;
  }
}

