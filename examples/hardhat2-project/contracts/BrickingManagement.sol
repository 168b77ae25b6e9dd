// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {FlexiblePrivacyGroupManagement} from "flexible-privacy-groups/contracts/management/FlexiblePrivacyGroupManagement.sol";

/// @title A custom management contract the upgrade check refuses: its state variable sits at slot 0, the
/// proxy's implementation, so its setter would brick every group upgraded to it.
contract BrickingManagement is FlexiblePrivacyGroupManagement {
    address public auditor;

    function setAuditor(address auditor_) external {
        auditor = auditor_;
    }
}
