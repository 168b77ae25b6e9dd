import { Interface } from "ethers";
import { artifacts } from "hardhat";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const solc = require("solc") as { compile(input: string): string };

/** A small private contract for tests: a stored number, an event per change, and a revert with a reason. */
const COUNTER_SOURCE = `
// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;
contract Counter {
    event Set(address indexed by, uint256 value);
    uint256 public value;
    function set(uint256 newValue) external {
        require(newValue != 0, "zero is not a value");
        value = newValue;
        emit Set(msg.sender, newValue);
    }
    bytes32 public seenHash;
    uint256 public seenNumber;
    address public seenCoinbase;
    uint256 public seenTimestamp;
    function recordBlock() external {
        (seenHash, seenNumber, seenCoinbase, seenTimestamp) = (blockhash(block.number - 1), block.number, block.coinbase, block.timestamp);
    }
}`;

let counterBytecode: string | undefined;

export const counter = new Interface([
  "event Set(address indexed by, uint256 value)",
  "function value() view returns (uint256)",
  "function set(uint256 newValue)",
  "function recordBlock()",
  "function seenHash() view returns (bytes32)",
  "function seenNumber() view returns (uint256)",
  "function seenCoinbase() view returns (address)",
  "function seenTimestamp() view returns (uint256)",
]);

/** The Counter's creation code, compiled once with the pinned solc (London, so any hardfork runs it). */
export function counterCreationCode(): string {
  if (counterBytecode === undefined) {
    const output = JSON.parse(
      solc.compile(
        JSON.stringify({
          language: "Solidity",
          sources: { "Counter.sol": { content: COUNTER_SOURCE } },
          settings: { evmVersion: "london", outputSelection: { "*": { "*": ["evm.bytecode.object"] } } },
        }),
      ),
    ) as { contracts: Record<string, Record<string, { evm: { bytecode: { object: string } } }>> };
    counterBytecode = "0x" + output.contracts["Counter.sol"].Counter.evm.bytecode.object;
  }
  return counterBytecode;
}

/** FlexiblePrivacyGroupManagementV2's creation code, from this repository's build. */
export async function managementV2CreationCode(): Promise<{ bytecode: string; abi: Interface }> {
  const artifact = await artifacts.readArtifact("FlexiblePrivacyGroupManagementV2");
  return { bytecode: artifact.bytecode, abi: new Interface(artifact.abi) };
}
