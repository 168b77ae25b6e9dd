// Public surface of the flexible privacy groups SDK.
import "./ethers-peer";
export {
  SdkErrorCode,
  PrivacySdkError,
  InvalidPrivacyGroupIdError,
  InvalidTesseraKeyError,
  InvalidMembershipHistoryError,
} from "./core/errors";
export { PRIVACY_GROUP_ID_BYTES, generatePrivacyGroupId, parsePrivacyGroupId } from "./core/ids";
export {
  TESSERA_KEY_LENGTHS,
  type Base64Decoding,
  type Base64Problem,
  decodeCanonicalBase64,
  encodeBase64,
  isTesseraKey,
  parseTesseraKey,
  tesseraKeyToBytes,
  bytesToTesseraKey,
} from "./core/keys";
export {
  type MembershipChange,
  type MembershipChangeKind,
  type KeyChange,
  type MembershipLog,
  MEMBERSHIP_EVENT_SIGNATURES,
  BESU_GROUP_ADDRESSES,
  membershipHistoryFromLogs,
  membershipHistory,
  historyByKey,
  membersAt,
} from "./core/history";
export {
  AccessRefusal,
  type AccessRequest,
  type AccessDecision,
  type MembershipStatus,
  type OwnedFilter,
  isPrivacyMethod,
  membershipStatus,
  decideAccess,
  filtersToDrop,
} from "./core/access";
export { GROUP_PROXY_ADDRESS } from "./core/constants";
export * from "./besu";
