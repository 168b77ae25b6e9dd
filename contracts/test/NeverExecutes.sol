// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {SilentManagement} from "./SilentManagement.sol";

/// @title Test only: a management contract that lets anyone upgrade but never lets the group execute,
/// so after an upgrade to it the group could neither run nor be upgraded back.
contract NeverExecutes is SilentManagement {
    function canUpgrade() external pure returns (bool) {
        return true;
    }

    function canExecute() external pure returns (bool) {
        return false;
    }
}
