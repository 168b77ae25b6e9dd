// The typed contract bindings of the shipped contracts (package entry `flexible-privacy-groups/typechain-types`).
// Imported file by file, so the build ships these and not the test doubles' or the examples' bindings.
export type { FlexiblePrivacyGroupManagement } from "../typechain-types/contracts/management/FlexiblePrivacyGroupManagement";
export { FlexiblePrivacyGroupManagement__factory } from "../typechain-types/factories/contracts/management/FlexiblePrivacyGroupManagement__factory";
export type { FlexiblePrivacyGroupProxy } from "../typechain-types/contracts/proxy/FlexiblePrivacyGroupProxy";
export { FlexiblePrivacyGroupProxy__factory } from "../typechain-types/factories/contracts/proxy/FlexiblePrivacyGroupProxy__factory";
export type { IFlexiblePrivacyGroupManagement } from "../typechain-types/contracts/interfaces/IFlexiblePrivacyGroupManagement";
export { IFlexiblePrivacyGroupManagement__factory } from "../typechain-types/factories/contracts/interfaces/IFlexiblePrivacyGroupManagement__factory";
export type { IFlexiblePrivacyGroupProxy } from "../typechain-types/contracts/interfaces/IFlexiblePrivacyGroupProxy";
export { IFlexiblePrivacyGroupProxy__factory } from "../typechain-types/factories/contracts/interfaces/IFlexiblePrivacyGroupProxy__factory";
export type { IGroupOwnership } from "../typechain-types/contracts/interfaces/IGroupOwnership";
export { IGroupOwnership__factory } from "../typechain-types/factories/contracts/interfaces/IGroupOwnership__factory";
