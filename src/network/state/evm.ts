import path from "node:path";
import { Common, Hardfork, Mainnet, type StateManagerInterface, createCustomCommon } from "@ethereumjs/common";
import { EVM, EVMError, type EVMResult, type EVMRunCallOpts, type Message, NobleBN254 } from "@ethereumjs/evm";
import { Account, Address, createAddressFromString, hexToBytes } from "@ethereumjs/util";
import { BLOCK_GAS_LIMIT } from "../chain/public-chain";
import type { GroupGenesis } from "../types";

/** The public block a private transaction runs in: Besu gives the EVM the marker transaction's block. */
export interface BlockContext {
  number: number;
  timestamp: bigint;
  coinbase: string;
  gasLimit: bigint;
  mixHash: string;
}

/** Looks up the hash of an earlier public block, for BLOCKHASH. */
export type BlockHashLookup = (blockNumber: number) => string | undefined;

/**
 * How far one private execution (a transaction, a priv_call, a trace, a management-contract read) may go.
 * Besu runs private code unmetered; here an endless loop must end, and end soon, with a clear answer.
 */
export interface ExecutionLimits {
  /** The gas every execution gets, whatever it asked for (the config's privateGasCap). */
  gasCap: bigint;
  /** Wall-clock milliseconds before the execution stops as if out of gas (the config's privateTimeoutMs). */
  timeoutMs: number;
}

/** A few seconds: far more than any real private transaction here takes, and a quick answer to a mistake. */
export const DEFAULT_PRIVATE_TIMEOUT_MS = 5_000;
/** By default an execution gets the public block's gas, as a public transaction at most could. */
export const DEFAULT_EXECUTION_LIMITS: ExecutionLimits = { gasCap: BigInt(BLOCK_GAS_LIMIT), timeoutMs: DEFAULT_PRIVATE_TIMEOUT_MS };

/** Until the budget runs out, the EVM hands the event loop back this often, so other requests are served meanwhile. */
const YIELD_EVERY_MS = 10;

export const PRIVATE_HARDFORK = Hardfork.Prague;

export function privateCommon(chainId: number): Common {
  return createCustomCommon({ chainId }, Mainnet, { hardfork: PRIVATE_HARDFORK });
}

/** What an opcode handler gets of the frame (the package does not export its RunState type). */
type Frame = { interpreter: unknown };

/** The opcodes that read the block a call runs in (BLOCKHASH, COINBASE, TIMESTAMP, NUMBER, PREVRANDAO, GASLIMIT, BASEFEE, BLOBBASEFEE). */
const BLOCK_OPCODES = [0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x48, 0x4a];
/**
 * Every long execution passes through one of these, each of which reads the clock: a loop needs JUMP or
 * JUMPI, and code without loops runs long only through many CALLs or CREATEs or KECCAK256s of large
 * memory, the one opcode whose time per gas is high enough for a few to take seconds (KECCAK256, JUMP,
 * JUMPI, CREATE, CALL, CALLCODE, DELEGATECALL, CREATE2, STATICCALL). A clock read costs far less than a
 * loop round, so a few costly rounds cannot run between two reads.
 */
const TICK_OPCODES = [0x20, 0x56, 0x57, 0xf0, 0xf1, 0xf2, 0xf4, 0xf5, 0xfa];

/**
 * An EVM whose top-level CREATE uses Besu's private address, keccak(RLP([sender, nonce, groupId])), and
 * which notes whether a call read its block: a call that did not is a function of the state alone.
 */
class PrivateEVM extends EVM {
  nextCreateAddress: Address | undefined;
  readBlock = false;
  /** Whether the running (or last) call ran out of its budget. */
  timedOut = false;
  /** When the running call must stop and when it last let the event loop run (performance.now() times). */
  private deadline = Infinity;
  private lastYield = 0;

  constructor(options: ConstructorParameters<typeof EVM>[0]) {
    super(options);
    // Each wrapper finds the EVM running the code through the frame: the entry may serve other EVMs
    // through the jump-analysis cache.
    for (const opcode of BLOCK_OPCODES) {
      const entry = this._opcodeMap[opcode];
      const original = entry.opHandler as (frame: Frame, common: Common) => unknown;
      entry.opHandler = ((frame: Frame, common: Common) => {
        runningEvm(frame).readBlock = true;
        return original(frame, common);
      }) as typeof entry.opHandler;
    }
    for (const opcode of TICK_OPCODES) {
      const entry = this._opcodeMap[opcode];
      const original = entry.opHandler as (frame: Frame, common: Common) => unknown;
      // The interpreter awaits an asynchronous opcode's handler, so a tick can pause the run (an Opcode is frozen: a new one).
      const info = entry.opcodeInfo;
      entry.opcodeInfo = new (info.constructor as new (fields: typeof info) => typeof info)({ ...info, isAsync: true });
      entry.opHandler = ((frame: Frame, common: Common) => {
        const pause = runningEvm(frame).checkBudget();
        return pause === undefined ? original(frame, common) : pause.then(() => original(frame, common));
      }) as typeof entry.opHandler;
    }
  }

  /** Starts a call's budget. */
  startBudget(timeoutMs: number): void {
    this.lastYield = performance.now();
    this.deadline = this.lastYield + timeoutMs;
    this.timedOut = false;
  }

  /**
   * Past the deadline, halts the frame as out of gas (and every frame above it at its next tick); before,
   * returns a pause that lets the event loop run if the EVM has held it for a while: the interpreter
   * otherwise awaits only settled promises, which never let a request in. Most ticks need no pause and
   * get none, so they cost a clock read and no promise.
   */
  private checkBudget(): Promise<void> | undefined {
    const now = performance.now();
    if (this.timedOut || now >= this.deadline) {
      this.timedOut = true;
      throw new EVMError(EVMError.errorMessages.OUT_OF_GAS);
    }
    if (now - this.lastYield < YIELD_EVERY_MS) return undefined;
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.lastYield = performance.now();
    });
  }

  protected override async _generateAddress(message: Parameters<EVM["_generateAddress"]>[0]): Promise<Address> {
    if (message.depth === 0 && this.nextCreateAddress !== undefined && message.salt === undefined) {
      return this.nextCreateAddress;
    }
    return super._generateAddress(message);
  }
}

/**
 * The interpreter redoes its jump-destination analysis of the code in every call frame: for the 6 KB
 * management contract that was a seventh of a private transaction's time. The analysis depends only on
 * the code and the hardfork, and every private EVM runs the same hardfork, so it is kept per code
 * object (the state's code cache hands out the same object each time). Other EVMs in the process are
 * left alone. Without the interpreter module (another @ethereumjs/evm layout), nothing is cached.
 */
function cacheJumpAnalysis(): void {
  let interpreter: { prototype: { _getValidJumpDestinations(code: Uint8Array): unknown } } | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- not exported by the package
    interpreter = require(path.join(path.dirname(require.resolve("@ethereumjs/evm")), "interpreter.js")).Interpreter;
  } catch {
    return;
  }
  const analyse = interpreter?.prototype._getValidJumpDestinations;
  if (interpreter === undefined || typeof analyse !== "function") return;
  const analyses = new WeakMap<Uint8Array, unknown>();
  interpreter.prototype._getValidJumpDestinations = function (this: { _evm: unknown }, code: Uint8Array) {
    if (!(this._evm instanceof PrivateEVM)) return analyse.call(this, code);
    let analysis = analyses.get(code);
    if (analysis === undefined) analyses.set(code, (analysis = analyse.call(this, code)));
    return analysis;
  };
}

cacheJumpAnalysis();

function runningEvm(frame: Frame): PrivateEVM {
  return (frame.interpreter as { _evm: PrivateEVM })._evm;
}

export interface PrivateCall {
  caller: string;
  to: string | null;
  data: string;
  /** Top-level creations land here (Besu's private contract address). */
  createAddress?: string;
}

/** Runs calls against one private world state, in a given public block. */
export class PrivateExecutor {
  private constructor(
    readonly stateManager: StateManagerInterface,
    private readonly evm: PrivateEVM,
    readonly limits: ExecutionLimits,
  ) {}

  static create(common: Common, stateManager: StateManagerInterface, blockHash: BlockHashLookup, limits: ExecutionLimits): PrivateExecutor {
    const blockchain = {
      getBlock: async (blockNumber: number) => {
        const hash = blockHash(blockNumber);
        return { hash: () => hexToBytes((hash ?? "0x" + "00".repeat(32)) as `0x${string}`) };
      },
      putBlock: async () => undefined,
      shallowCopy() {
        return this;
      },
    };
    // Its own Common: an EVM subscribes to its Common's events, so a shared one would keep every EVM alive.
    const evm = new PrivateEVM({ common: common.copy(), stateManager, blockchain, bn254: new NobleBN254() });
    return new PrivateExecutor(stateManager, evm, limits);
  }

  /** Runs a call with listeners on every frame's start and end (for traces). */
  async runObserved(
    call: PrivateCall,
    block: BlockContext,
    beforeMessage: (message: Message) => void,
    afterMessage: (result: EVMResult) => void,
  ): Promise<EVMResult> {
    this.evm.events.on("beforeMessage", beforeMessage);
    this.evm.events.on("afterMessage", afterMessage);
    try {
      return await this.run(call, block);
    } finally {
      this.evm.events.off("beforeMessage", beforeMessage);
      this.evm.events.off("afterMessage", afterMessage);
    }
  }

  /** Whether the last call read its block (see PrivateEVM). */
  get lastCallReadBlock(): boolean {
    return this.evm.readBlock;
  }

  /** Whether the last call ran out of time (it then failed as if out of gas). */
  get lastCallTimedOut(): boolean {
    return this.evm.timedOut;
  }

  async run(call: PrivateCall, block: BlockContext): Promise<EVMResult> {
    const opts: EVMRunCallOpts = {
      caller: createAddressFromString(call.caller),
      origin: createAddressFromString(call.caller),
      to: call.to === null ? undefined : createAddressFromString(call.to),
      data: hexToBytes(call.data as `0x${string}`),
      gasLimit: this.limits.gasCap,
      gasPrice: 0n,
      value: 0n,
      skipNonceIncrement: true,
      block: toEvmBlock(block),
    };
    this.evm.nextCreateAddress = call.createAddress === undefined ? undefined : createAddressFromString(call.createAddress);
    this.evm.readBlock = false;
    this.evm.startBudget(this.limits.timeoutMs);
    try {
      const result = await this.evm.runCall(opts);
      // A frame that caught its callee's halt may have finished: out of time, the whole call fails.
      if (this.evm.timedOut && result.execResult.exceptionError === undefined) {
        result.execResult.exceptionError = new EVMError(EVMError.errorMessages.OUT_OF_GAS);
        result.execResult.returnValue = new Uint8Array(0);
        result.execResult.logs = [];
      }
      return result;
    } finally {
      this.evm.nextCreateAddress = undefined;
      // Warm addresses and slots are per transaction, and runCall (unlike the VM's runTx) never clears
      // them: its journal would keep one entry per call frame of every call this EVM ever ran.
      this.evm.journal.cleanJournal();
    }
  }
}

/** 0x hex as one flat string (@ethereumjs/util's bytesToHex builds a rope of one piece per byte, which costs memory when kept). */
export function toHex(bytes: Uint8Array): string {
  return "0x" + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

function toEvmBlock(block: BlockContext): NonNullable<EVMRunCallOpts["block"]> {
  return {
    header: {
      number: BigInt(block.number),
      coinbase: createAddressFromString(block.coinbase),
      timestamp: block.timestamp,
      difficulty: 0n,
      prevRandao: hexToBytes(block.mixHash as `0x${string}`),
      gasLimit: block.gasLimit,
      baseFeePerGas: 0n,
      getBlobGasPrice: () => 1n,
    },
  };
}

/** Writes the group genesis (Besu's PrivateStateGenesisAllocator): code, balance and storage, no constructor. */
export async function applyGroupGenesis(stateManager: StateManagerInterface, genesis: GroupGenesis): Promise<void> {
  for (const [address, account] of Object.entries(genesis)) {
    const target = createAddressFromString(address.startsWith("0x") ? address : "0x" + address);
    await stateManager.putAccount(target, new Account(0n, BigInt(account.balance ?? 0)));
    await stateManager.putCode(target, hexToBytes(prefixed(account.code)));
    for (const [slot, value] of Object.entries(account.storage ?? {})) {
      await stateManager.putStorage(target, hexToBytes(pad32(slot)), hexToBytes(pad32(value)));
    }
  }
}

function prefixed(hex: string): `0x${string}` {
  return (hex.startsWith("0x") ? hex : "0x" + hex) as `0x${string}`;
}

function pad32(hex: string): `0x${string}` {
  const digits = prefixed(hex).slice(2);
  return ("0x" + digits.padStart(64, "0")) as `0x${string}`;
}

