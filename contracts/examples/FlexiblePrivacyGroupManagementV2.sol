// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {FlexiblePrivacyGroupManagement} from "../management/FlexiblePrivacyGroupManagement.sol";
import {ParticipantKeys} from "../management/ParticipantKeys.sol";

/// @title An example custom management contract to upgrade a group to.
/// @notice Inherits the default one, so it keeps the storage layout and every rule, and adds a
/// membership query. A custom contract that does not inherit must use the same GroupStorage layout
/// and declare the management interface through ERC-165, or the proxy refuses the upgrade.
contract FlexiblePrivacyGroupManagementV2 is FlexiblePrivacyGroupManagement {
    /// @notice Whether `key` is a member, without reading the whole list.
    function isParticipant(bytes calldata key) external view returns (bool) {
        return _layout().positionOf[ParticipantKeys.hash(key)] != 0;
    }

    /// @notice Which management contract generation runs the group.
    function managementGeneration() external pure returns (uint256) {
        return 2;
    }
}
