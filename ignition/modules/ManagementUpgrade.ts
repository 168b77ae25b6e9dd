import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * A new management implementation to upgrade a group to (the example V2 here; put your own contract's
 * name in its place). The owner then calls upgradeTo(<address>) on the group proxy.
 *   npx hardhat ignition deploy ignition/modules/ManagementUpgrade.ts --network localhost
 */
export default buildModule("ManagementUpgrade", (m) => {
  const implementation = m.contract("FlexiblePrivacyGroupManagementV2");
  return { implementation };
});
