import { AbiCoder, keccak256, toBeHex, type TransactionResponse } from "ethers";
import hre from "hardhat";

/** The version's width in bits (GroupStorage.Group.version). */
export const VERSION_BITS = 216n;

/** The version is the low VERSION_BITS bits of its hash. */
const VERSION_MASK = (1n << VERSION_BITS) - 1n;

/**
 * The version after a membership change, computed as the contract's _nextVersion does: keccak256 of
 * the previous version, the parent block's hash and keccak256 of the change's calldata, cut to VERSION_BITS bits.
 */
export function nextVersion(previous: string, parentHash: string, calldata: string): string {
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ["uint256", "bytes32", "bytes32"],
    [previous, parentHash, keccak256(calldata)],
  );
  return toBeHex(BigInt(keccak256(encoded)) & VERSION_MASK, 32);
}

/** The hash of the latest block: the parent of the next automined transaction's block. */
export async function latestBlockHash(): Promise<string> {
  const block = await hre.ethers.provider.getBlock("latest");
  if (block?.hash == null) throw new Error("no latest block");
  return block.hash;
}

/** The version after `tx`, a membership change sent straight to the group by an account, from `previous`. */
export async function versionAfter(previous: string, tx: TransactionResponse): Promise<string> {
  const receipt = await tx.wait();
  const block = receipt === null ? null : await hre.ethers.provider.getBlock(receipt.blockHash);
  if (block === null) throw new Error(`no block for ${tx.hash}`);
  return nextVersion(previous, block.parentHash, tx.data);
}
