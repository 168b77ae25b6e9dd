// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {FlexiblePrivacyGroupManagement} from "../management/FlexiblePrivacyGroupManagement.sol";

/// @title Test only: a bricking management contract. It inherits the default contract and passes every
/// check the proxy makes, but its state variable sits at slot 0, so its setter overwrites the proxy's
/// implementation. The upgrade check must refuse it.
contract BrickingManagement is FlexiblePrivacyGroupManagement {
    // solhint-disable-next-line state-visibility
    address public secondAdmin;

    function setSecondAdmin(address admin) external {
        secondAdmin = admin;
    }
}
