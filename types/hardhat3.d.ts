// Hardhat 3's types for the plugin: `privacy` on a network connection and the `droppedPrivately` matcher.
// A file of its own, imported once by a TypeScript project on Hardhat 3 (`import "flexible-privacy-groups/hardhat3-types"`),
// because the package builds against Hardhat 2, which has no "hardhat/types/network" to extend.
import type { ChainType, DefaultChainType } from "hardhat/types/network";
import type { PrivacyHelpers } from "../dist/src/hardhat/privacy";
import type {} from "../dist/src/hardhat/matchers";
import type { PrivacyHelpersOptions, PrivacyUserConfig } from "../dist/src/hardhat/privacy-config";

declare module "hardhat/types/config" {
  interface HardhatUserConfig {
    /** The development network the helpers start: `{ networkConfig: "<file in fpg-node --config's format>" }`. */
    privacy?: PrivacyUserConfig;
  }
  interface HardhatConfig {
    privacy: PrivacyHelpersOptions;
  }
}

declare module "hardhat/types/network" {
  // Hardhat's own type parameter, spelled as it is: a merged interface must repeat it exactly.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface NetworkConnection<ChainTypeT extends ChainType | string = DefaultChainType> {
    /** Private signers, groups and fixtures on the in-process development network (one per test run). */
    privacy: PrivacyHelpers;
  }
}
