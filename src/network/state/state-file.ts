import fs from "node:fs";
import path from "node:path";
import { Signature, Transaction, isHexString, keccak256 } from "ethers";
import type { EnclaveNetwork, Enclave } from "../chain/enclave";
import type { Eip1193Provider, PublicChain } from "../chain/public-chain";

/**
 * The network's saved state (`fpg-node --state FILE`). EDR cannot dump its chain (Hardhat has no
 * hardhat_dumpState), and a dump of accounts alone would lose the blocks and marker transactions the
 * privacy layer reads. So the file holds the public chain as its signed transactions, block by block with
 * their timestamps, and every enclave's payloads; loading replays the blocks on a chain started at the
 * same genesis time (so block hashes come out the same) and every node rebuilds its private state from
 * them, exactly as it did the first time. Filters are not saved: like Besu's, they live in memory only.
 */
export const STATE_FORMAT = "fpg-node-state";
export const STATE_VERSION = 1;

export interface SavedBlock {
  /** Seconds since the Unix epoch. */
  timestamp: number;
  /** The block's transactions, signed and serialized, in block order. */
  transactions: string[];
}

export interface SavedPayload {
  /** The payload's 32-byte enclave key, base64 (the marker carries it). */
  key: string;
  payload: string;
  senderKey: string;
  /** Every enclave key the payload was given to. */
  parties: string[];
}

export interface SavedState {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  chainId: number;
  genesisTimestamp: number;
  /** The hash of the last block: a replay that ends elsewhere is refused. */
  headHash: string;
  /** Blocks 1 to the head. */
  blocks: SavedBlock[];
  payloads: SavedPayload[];
}

/** A state file that cannot be loaded or written: the message names the file and the problem. */
export class StateFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "StateFileError";
  }
}

// --- saving --------------------------------------------------------------------------------------------

interface RpcTransaction {
  hash: string;
  type: string;
  nonce: string;
  gas: string;
  to: string | null;
  value: string;
  input: string;
  chainId?: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
  accessList?: { address: string; storageKeys: string[] }[];
  authorizationList?: { chainId: string; address: string; nonce: string; yParity: string; r: string; s: string }[];
  v: string;
  r: string;
  s: string;
  yParity?: string;
}

/** The network as it is now. Runs in the network's queue, between requests. */
export async function captureState(chain: PublicChain, enclaves: readonly Enclave[], chainId: number): Promise<SavedState> {
  const blocks: SavedBlock[] = [];
  for (let number = 1; number <= chain.head; number++) {
    const block = (await chain.provider.request({ method: "eth_getBlockByNumber", params: ["0x" + number.toString(16), true] })) as {
      timestamp: string;
      transactions: RpcTransaction[];
    };
    blocks.push({ timestamp: Number(block.timestamp), transactions: block.transactions.map(serialized) });
  }
  const payloads = new Map<string, SavedPayload>();
  for (const enclave of enclaves) {
    for (const [key, stored] of enclave.held()) {
      const saved = payloads.get(key) ?? { key, payload: Buffer.from(stored.payload).toString("base64"), senderKey: stored.senderKey, parties: [] };
      saved.parties.push(...stored.parties);
      payloads.set(key, saved);
    }
  }
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    chainId,
    genesisTimestamp: Number(chain.block(0)!.timestamp),
    headHash: chain.block(chain.head)!.hash,
    blocks,
    payloads: [...payloads.values()],
  };
}

/** A mined transaction as the bytes that were sent; checked against its hash, so a replay sends the same. */
function serialized(tx: RpcTransaction): string {
  const type = Number(tx.type);
  const signature = Signature.from({ r: tx.r, s: tx.s, v: type === 0 ? Number(tx.v) : 27 + Number(tx.yParity ?? tx.v) });
  const rebuilt = Transaction.from({
    type,
    nonce: Number(tx.nonce),
    gasLimit: tx.gas,
    to: tx.to,
    value: tx.value,
    data: tx.input,
    chainId: type === 0 && Number(tx.v) < 35 ? 0 : (tx.chainId ?? 0),
    gasPrice: type < 2 ? tx.gasPrice : undefined,
    maxFeePerGas: type >= 2 ? tx.maxFeePerGas : undefined,
    maxPriorityFeePerGas: type >= 2 ? tx.maxPriorityFeePerGas : undefined,
    accessList: type >= 1 ? tx.accessList : undefined,
    authorizationList:
      type === 4
        ? tx.authorizationList!.map((auth) => ({
            chainId: BigInt(auth.chainId),
            address: auth.address,
            nonce: BigInt(auth.nonce),
            signature: Signature.from({ r: auth.r, s: auth.s, v: 27 + Number(auth.yParity) }),
          }))
        : undefined,
  });
  rebuilt.signature = signature;
  if (keccak256(rebuilt.serialized) !== tx.hash.toLowerCase()) throw new Error(`cannot re-encode transaction ${tx.hash} (type ${type})`);
  return rebuilt.serialized;
}

/**
 * Writes atomically: a temporary file in the same folder, flushed to disk, then renamed over the old one.
 * If anything fails, the old file is left as it was.
 */
export function writeStateFile(file: string, state: SavedState): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(temporary, "w");
    try {
      fs.writeFileSync(fd, JSON.stringify(state));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new StateFileError(file, `cannot write the state: ${(error as Error).message}`);
  }
}

// --- loading -------------------------------------------------------------------------------------------

/** Reads and checks a state file; undefined when it does not exist and `missingIsEmpty` (the --state flag). */
export function readStateFile(file: string, chainId: number, missingIsEmpty: boolean): SavedState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && missingIsEmpty) return undefined;
    throw new StateFileError(file, code === "ENOENT" ? "no such file" : `cannot read it: ${code ?? (error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(file, `not JSON (truncated?): ${(error as Error).message}`);
  }
  const problem = stateProblem(json, chainId);
  if (problem !== undefined) throw new StateFileError(file, problem);
  return json as SavedState;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isBase64 = (value: unknown): value is string => typeof value === "string" && /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0;
const isTimestamp = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;

/** What is wrong with a parsed state file, naming the field; undefined when it can be loaded. */
function stateProblem(json: unknown, chainId: number): string | undefined {
  if (!isRecord(json) || json.format !== STATE_FORMAT) return `not a ${STATE_FORMAT} file (no "format": "${STATE_FORMAT}")`;
  if (json.version !== STATE_VERSION) return `version ${JSON.stringify(json.version)}, but this fpg-node reads version ${STATE_VERSION} only`;
  if (json.chainId !== chainId) return `saved with chainId ${JSON.stringify(json.chainId)}, but the network's chainId is ${chainId}`;
  if (!isTimestamp(json.genesisTimestamp)) return "genesisTimestamp: not a timestamp in seconds";
  if (typeof json.headHash !== "string" || !isHexString(json.headHash, 32)) return "headHash: not a 32-byte hex hash";
  if (!Array.isArray(json.blocks)) return "blocks: not a list";
  let previous = json.genesisTimestamp;
  for (const [i, block] of json.blocks.entries()) {
    if (!isRecord(block) || !isTimestamp(block.timestamp) || block.timestamp <= previous) return `blocks[${i}].timestamp: not a timestamp after the previous block's`;
    previous = block.timestamp;
    if (!Array.isArray(block.transactions) || !block.transactions.every((tx) => typeof tx === "string" && isHexString(tx) && tx.length > 2)) {
      return `blocks[${i}].transactions: not a list of signed transactions (hex)`;
    }
  }
  if (!Array.isArray(json.payloads)) return "payloads: not a list";
  for (const [i, payload] of json.payloads.entries()) {
    const valid =
      isRecord(payload) &&
      isBase64(payload.key) &&
      Buffer.from(payload.key, "base64").length === 32 &&
      isBase64(payload.payload) &&
      typeof payload.senderKey === "string" &&
      Array.isArray(payload.parties) &&
      payload.parties.length > 0 &&
      payload.parties.every((party) => typeof party === "string");
    if (!valid) return `payloads[${i}]: not a payload (key, payload, senderKey, parties)`;
  }
  return undefined;
}

/**
 * Puts the saved payloads in the enclaves and replays the saved blocks on the engine (started at the
 * saved genesis time), then moves the engine's clock to now. The caller then processes the blocks.
 */
export async function replayState(file: string, state: SavedState, provider: Eip1193Provider, enclaves: EnclaveNetwork, automine: boolean): Promise<void> {
  for (const { key, payload, senderKey, parties } of state.payloads) enclaves.deliver(key, Buffer.from(payload, "base64"), senderKey, parties);
  await provider.request({ method: "evm_setAutomine", params: [false] });
  for (const [i, block] of state.blocks.entries()) {
    try {
      for (const raw of block.transactions) await provider.request({ method: "eth_sendRawTransaction", params: [raw] });
      await provider.request({ method: "evm_mine", params: [block.timestamp] });
    } catch (error) {
      throw new StateFileError(file, `block ${i + 1} does not replay: ${(error as Error).message}`);
    }
  }
  await provider.request({ method: "evm_setAutomine", params: [automine] });
  const head = (await provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { hash: string; timestamp: string };
  if (head.hash.toLowerCase() !== state.headHash.toLowerCase()) {
    throw new StateFileError(file, `the replayed chain ends in block ${head.hash}, not the saved ${state.headHash}`);
  }
  const behind = Math.floor(Date.now() / 1000) - Number(head.timestamp);
  if (behind > 0) await provider.request({ method: "evm_increaseTime", params: [behind] });
}
