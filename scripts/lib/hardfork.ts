import { HardforkName } from "hardhat/internal/util/hardforks";

/** The EVM the blob targets (the compiler's evmVersion). */
export const TARGET_HARDFORK = "london";

/** The newest hardfork this Hardhat version can run. */
export function newestHardfork(): string {
  const names = Object.values(HardforkName) as string[];
  return names[names.length - 1];
}

/**
 * The hardfork of the in-process network: `london` unless FPG_HARDFORK says
 * otherwise (`newest` picks the newest one Hardhat supports).
 */
export function hardforkUnderTest(): string {
  const wanted = process.env.FPG_HARDFORK ?? TARGET_HARDFORK;
  return wanted === "newest" ? newestHardfork() : wanted;
}
