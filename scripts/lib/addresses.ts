/** Where Besu injects the flexible group contracts in a group's private genesis state. */
export const MANAGEMENT_ADDRESS = "0x000000000000000000000000000000000000007b";
export const PROXY_ADDRESS = "0x000000000000000000000000000000000000007c";

/** The proxy's one written slot: slot 0 holds the management contract's address. */
export const IMPLEMENTATION_SLOT = "0x" + "00".repeat(32);
