import { HardforkName } from "hardhat/internal/util/hardforks";

/** The EVM the blob targets (the compiler's evmVersion). */
export const TARGET_HARDFORK = "london";

/** Every hardfork this Hardhat version can run, oldest first. */
export const KNOWN_HARDFORKS = Object.values(HardforkName) as string[];

/** The newest hardfork this Hardhat version can run. */
export function newestHardfork(): string {
  return KNOWN_HARDFORKS[KNOWN_HARDFORKS.length - 1];
}

/** FPG_HARDFORK names a hardfork Hardhat does not know; the message names the variable and the valid values. */
export class HardforkSettingError extends Error {
  override name = "HardforkSettingError";
}

/**
 * The hardfork of the in-process network: `london` unless FPG_HARDFORK says
 * otherwise (`newest` picks the newest one Hardhat supports).
 */
export function hardforkUnderTest(env: NodeJS.ProcessEnv = process.env): string {
  const wanted = env.FPG_HARDFORK ?? TARGET_HARDFORK;
  if (wanted === "newest") return newestHardfork();
  if (!KNOWN_HARDFORKS.includes(wanted)) {
    throw new HardforkSettingError(
      `FPG_HARDFORK=${wanted} is not a hardfork this Hardhat runs. Use one of ${KNOWN_HARDFORKS.join(", ")}, ` +
        `or "newest"; or unset FPG_HARDFORK to run at ${TARGET_HARDFORK}.`,
    );
  }
  return wanted;
}
