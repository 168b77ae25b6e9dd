import { FlexiblePrivacyGroupManagement__factory } from "../../typechain-types/factories/contracts/management/FlexiblePrivacyGroupManagement__factory";
import { FlexiblePrivacyGroupProxy__factory } from "../../typechain-types/factories/contracts/proxy/FlexiblePrivacyGroupProxy__factory";

/** The management contract's ABI with the proxy's functions and errors: what a group answers at 0x…7c. */
export const GROUP_ABI = [
  ...FlexiblePrivacyGroupManagement__factory.abi,
  ...FlexiblePrivacyGroupProxy__factory.abi.filter((item) => item.type === "function" || item.type === "error"),
] as const;
