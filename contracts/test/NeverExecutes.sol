// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IFlexiblePrivacyGroupManagement} from "../interfaces/IFlexiblePrivacyGroupManagement.sol";

/// @title Test only: a management contract that lets anyone upgrade but never lets the group execute,
/// so after an upgrade to it the group could neither run nor be upgraded back.
contract NeverExecutes is IERC165 {
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(IERC165).interfaceId ||
            interfaceId == type(IFlexiblePrivacyGroupManagement).interfaceId;
    }

    function canUpgrade() external pure returns (bool) {
        return true;
    }

    function canExecute() external pure returns (bool) {
        return false;
    }
}
