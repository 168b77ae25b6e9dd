// The Besu 25.5 private-transaction client: ethers v6, typed, nothing from src/network.
export { PrivateTransactionError, type Restriction } from "../core/codec";
export { PrivateTransaction, type PrivateTransactionLike } from "./transaction";
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
  type DropReason,
  besuRpcError,
  AddMembersError,
  BesuOnlyError,
  decodeRevert,
  GROUP_ERRORS,
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
  type PrivateSubscription,
  type WaitOptions,
} from "./provider";
export { PrivacySocket, PrivacySocketError, type PrivacySocketErrorCode } from "./socket";
export {
  PrivateSigner,
  PrivateSignerError,
  type DigestSigner,
  type SigningSource,
  type PrivateSignerOptions,
  type PrivateTransactionRequest,
  type SentPrivateTransaction,
} from "./signer";
export { PrivateGroupProvider, PrivateGroupRunner, getPrivateContractAddress } from "./runner";
export { PrivateNonceManager, GroupNonces } from "../core/nonces";
export {
  type ContractFactoryLike,
  FlexiblePrivacyGroup,
  type PublicFlexiblePrivacyGroup,
  membershipEventsInterface,
} from "./group";
export { GROUP_MANAGEMENT_ADDRESS } from "../core/constants";
