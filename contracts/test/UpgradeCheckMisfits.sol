// SPDX-License-Identifier: Apache-2.0
// solhint-disable one-contract-per-file
pragma solidity 0.8.30;

import {FlexiblePrivacyGroupManagement} from "../management/FlexiblePrivacyGroupManagement.sol";

/// @title Test only: candidates that the upgrade check must refuse, each for one reason.

/// @notice Writes slot 0 from assembly, without declaring any state variable.
contract AssemblySlotZero is FlexiblePrivacyGroupManagement {
    function clearSlotZero() external {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            sstore(0, 0)
        }
    }
}

/// @notice Declares the default contract's namespace with other members, and no management function.
contract ClashingNamespace {
    /// @custom:storage-location erc7201:flexible-privacy-group.management
    struct Layout {
        uint256 version;
        address owner;
    }
}

/// @notice Keeps the layout and the interface, but under it nobody could upgrade again: the proxy refuses.
contract NoUpgradeAfterwards is FlexiblePrivacyGroupManagement {
    function canUpgrade() public pure override returns (bool) {
        return false;
    }
}
