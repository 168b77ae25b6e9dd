// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {SilentManagement} from "./SilentManagement.sol";

/// @title Test only: a management contract under which the group executes but nobody may upgrade,
/// so after an upgrade to it the group could never be upgraded again.
contract NeverUpgrades is SilentManagement {
    function canUpgrade() external pure returns (bool) {
        return false;
    }

    function canExecute() external pure returns (bool) {
        return true;
    }
}
