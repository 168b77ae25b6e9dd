/**
 * The package's optional peers that the development network does not load: the clients' (ethers, viem),
 * Hardhat itself, and the release tasks' (diff, upgrades-core). Every other peer is the network's; the
 * Hardhat plugin names them in its install line, and the docs' install steps must list them.
 */
export const NOT_NETWORK_PEERS: readonly string[] = ["ethers", "viem", "hardhat", "diff", "@openzeppelin/upgrades-core"];
