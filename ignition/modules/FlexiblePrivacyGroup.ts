import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The suite deployed normally on an ordinary EVM network: the default management contract and a proxy
 * pointing at it. The proxy's constructor creates the group with the `participants` parameter (Tessera
 * keys as 0x hex), so the deployer owns it and nobody can create it first:
 *   npx hardhat ignition deploy ignition/modules/FlexiblePrivacyGroup.ts --network localhost \
 *     --parameters ignition/parameters/FlexiblePrivacyGroup.json
 * where the parameters file is { "FlexiblePrivacyGroup": { "participants": ["0x…", "0x…"] } }
 */
export default buildModule("FlexiblePrivacyGroup", (m) => {
  const participants = m.getParameter<string[]>("participants");
  const management = m.contract("FlexiblePrivacyGroupManagement");
  const creation = m.encodeFunctionCall(management, "addParticipants", [participants]);
  const proxy = m.contract("FlexiblePrivacyGroupProxy", [management, creation]);
  return { management, proxy };
});
