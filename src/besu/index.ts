// The Besu 25.5 private-transaction client: ethers v6, typed, nothing from src/network.
export {
  PrivateTransaction,
  PrivateTransactionError,
  type PrivateTransactionLike,
  type Restriction,
} from "./transaction";
