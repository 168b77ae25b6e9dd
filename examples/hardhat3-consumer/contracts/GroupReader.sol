// SPDX-License-Identifier: Apache-2.0
// A Hardhat 3 project on an older solc that imports the package's interfaces (`npm run check:package`).
pragma solidity 0.8.28;

import {IFlexiblePrivacyGroupManagement} from "flexible-privacy-groups/contracts/interfaces/IFlexiblePrivacyGroupManagement.sol";
import {IFlexiblePrivacyGroupProxy} from "flexible-privacy-groups/contracts/interfaces/IFlexiblePrivacyGroupProxy.sol";
import {IGroupOwnership} from "flexible-privacy-groups/contracts/interfaces/IGroupOwnership.sol";

contract GroupReader {
    function members(address group) external view returns (bytes[] memory) {
        return IFlexiblePrivacyGroupManagement(group).getParticipants();
    }

    function owner(address group) external view returns (address) {
        return IGroupOwnership(group).owner();
    }

    function implementation(address group) external view returns (address) {
        return IFlexiblePrivacyGroupProxy(group).implementation();
    }

    function managementInterfaceId() external pure returns (bytes4) {
        return type(IFlexiblePrivacyGroupManagement).interfaceId;
    }
}
