// The Besu 25.5 private-transaction client: ethers v6, typed, nothing from src/network.
export {
  PrivateTransaction,
  PrivateTransactionError,
  type PrivateTransactionLike,
  type Restriction,
} from "../core/codec";
export {
  BesuErrorCode,
  BesuRpcError,
  PrivacyGroupNotFoundError,
  NonceTooLowError,
  UnauthorizedError,
  EnclaveError,
  PrivateTransactionFailedError,
  PrivateTransactionRevertedError,
  PrivateTransactionCancelError,
  PrivateTransactionDroppedError,
  besuRpcError,
} from "./errors";
export {
  PrivacyProvider,
  type JwtSource,
  type PrivacyProviderOptions,
  type PrivateOutcome,
  type PrivateTransactionReceipt,
  type PrivateTransactionResult,
  type PrivacyGroupInfo,
  type PrivateLogFilter,
  type PrivateCallRequest,
  type WaitOptions,
} from "./provider";
export {
  PrivateSigner,
  PrivateSignerError,
  type DigestSigner,
  type SigningSource,
  type PrivateSignerOptions,
  type PrivateTransactionRequest,
  type SentPrivateTransaction,
} from "./signer";
export { PrivateGroupProvider, PrivateGroupRunner, getPrivateContractAddress, decodeRevert } from "./runner";
export { PrivateNonceManager, GroupNonces } from "./nonces";
export { FlexiblePrivacyGroup } from "./group";
export { GROUP_MANAGEMENT_ADDRESS } from "../core/constants";
