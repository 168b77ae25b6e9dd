/**
 * The package's optional peers that the development network does not load: viem's client, Hardhat itself,
 * and the release tasks' (diff, upgrades-core). Every other peer is the network's, ethers among them (the
 * ethers client uses it too); the Hardhat plugin names them in its install line.
 */
export const NOT_NETWORK_PEERS: readonly string[] = ["viem", "hardhat", "diff", "@openzeppelin/upgrades-core"];
