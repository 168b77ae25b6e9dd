import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The suite deployed normally on an ordinary EVM network: the default management contract and a proxy
 * pointing at it. The first addParticipants through the proxy creates the group, as in genesis.
 *   npx hardhat ignition deploy deploy/FlexiblePrivacyGroup.ts --network <name>
 */
export default buildModule("FlexiblePrivacyGroup", (m) => {
  const management = m.contract("FlexiblePrivacyGroupManagement");
  const proxy = m.contract("FlexiblePrivacyGroupProxy", [management]);
  return { management, proxy };
});
