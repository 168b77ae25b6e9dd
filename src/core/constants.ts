/** Besu's fixed addresses and defaults for flexible privacy groups: each value lives here and only here. */

/** Where Besu injects the default management contract in every flexible group's private state. */
export const GROUP_MANAGEMENT_ADDRESS = "0x000000000000000000000000000000000000007b";

/** Where Besu injects the group proxy; clients and Besu call only this address. */
export const GROUP_PROXY_ADDRESS = "0x000000000000000000000000000000000000007c";

/** Besu's flexible privacy precompile: the `to` of every privacy marker transaction. */
export const PRIVACY_PRECOMPILE_ADDRESS = "0x000000000000000000000000000000000000007d";

/** The addresses whose logs speak for a group's membership (Besu's default logs ParticipantAdded at 0x…7b). */
export const GROUP_ADDRESSES: readonly string[] = [GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS];

/**
 * The gas limit of a private transaction when none is given. Besu runs private code unmetered; the limit
 * sizes the marker transaction only.
 */
export const DEFAULT_PRIVATE_GAS_LIMIT = 3_000_000;

/** The proxy's one written slot: slot 0 holds the management contract's address. */
export const IMPLEMENTATION_SLOT = "0x" + "00".repeat(32);
