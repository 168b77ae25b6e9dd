/** Where Besu injects the flexible group contracts (the one home of the values is src/core/constants.ts). */
export { GROUP_MANAGEMENT_ADDRESS as MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS as PROXY_ADDRESS } from "../../src/core/constants";

/** The proxy's one written slot: slot 0 holds the management contract's address. */
export const IMPLEMENTATION_SLOT = "0x" + "00".repeat(32);
