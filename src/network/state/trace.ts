import type { EVMResult, Message } from "@ethereumjs/evm";
import type { BlockContext, PrivateCall, PrivateExecutor } from "./evm";
import { toHex } from "./evm";
import { quantity } from "../chain/private-transaction";

/** One call frame of a traced private transaction. */
interface Frame {
  create: boolean;
  callType: string;
  from: string;
  to: string | undefined;
  input: string;
  gas: bigint;
  value: bigint;
  children: Frame[];
  result?: EVMResult;
}

/** Where a traced transaction sits in the chain (its marker's place). */
export interface TraceLocation {
  blockHash: string;
  blockNumber: number;
  transactionHash: string;
}

/** Runs a call while recording its frames, and returns them as a Parity-style flat trace (Besu's PrivateFlatTrace). */
export async function traceCall(executor: PrivateExecutor, call: PrivateCall, block: BlockContext, location: TraceLocation): Promise<object[]> {
  const root: Frame[] = [];
  const stack: Frame[] = [];
  const before = (message: Message): void => {
    const frame: Frame = {
      create: message.to === undefined,
      callType: message.delegatecall ? "delegatecall" : message.isStatic ? "staticcall" : "call",
      from: message.caller.toString(),
      // A delegatecall runs the callee's code in the caller's account: traces name the code's address.
      to: (message.delegatecall ? message.codeAddress : message.to)?.toString(),
      input: toHex(message.data),
      gas: message.gasLimit,
      value: message.value,
      children: [],
    };
    (stack.length === 0 ? root : stack[stack.length - 1].children).push(frame);
    stack.push(frame);
  };
  const after = (result: EVMResult): void => {
    const frame = stack.pop();
    if (frame !== undefined) frame.result = result;
  };
  await executor.runObserved(call, block, before, after);
  const flat: object[] = [];
  const visit = (frame: Frame, traceAddress: number[]): void => {
    flat.push(flatTrace(frame, traceAddress, location));
    frame.children.forEach((child, index) => visit(child, [...traceAddress, index]));
  };
  root.forEach((frame) => visit(frame, []));
  return flat;
}

function flatTrace(frame: Frame, traceAddress: number[], location: TraceLocation): object {
  const exec = frame.result?.execResult;
  const gasUsed = quantity(exec?.executionGasUsed ?? 0n);
  const action = frame.create
    ? { from: frame.from, gas: quantity(frame.gas), init: frame.input, value: quantity(frame.value) }
    : { callType: frame.callType, from: frame.from, gas: quantity(frame.gas), input: frame.input, to: frame.to, value: quantity(frame.value) };
  const trace: Record<string, unknown> = { action, blockHash: location.blockHash, blockNumber: location.blockNumber };
  if (exec?.exceptionError !== undefined) {
    trace.error = exec.exceptionError.error === "revert" ? "Reverted" : exec.exceptionError.error;
  } else if (frame.create) {
    trace.result = { address: frame.result?.createdAddress?.toString(), code: toHex(exec?.returnValue ?? new Uint8Array()), gasUsed };
  } else {
    trace.result = { gasUsed, output: toHex(exec?.returnValue ?? new Uint8Array()) };
  }
  return { ...trace, subtraces: frame.children.length, traceAddress, transactionHash: location.transactionHash, type: frame.create ? "create" : "call" };
}
