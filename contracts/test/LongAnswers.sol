// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {SilentManagement} from "./SilentManagement.sol";

/// @title Test only: answers canUpgrade() and canExecute() with two words instead of one bool. The
/// first word reads as true, but the answer is not a bool: the proxy must not take it for one.
contract LongAnswers is SilentManagement {
    function canUpgrade() external pure returns (bool, bool) {
        return (true, true);
    }

    function canExecute() external pure returns (bool, bool) {
        return (true, true);
    }
}
