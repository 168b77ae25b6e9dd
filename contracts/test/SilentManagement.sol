// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IFlexiblePrivacyGroupManagement} from "../interfaces/IFlexiblePrivacyGroupManagement.sol";

/// @title Test only: declares the management interface but answers every call with empty data.
contract SilentManagement is IERC165 {
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(IERC165).interfaceId ||
            interfaceId == type(IFlexiblePrivacyGroupManagement).interfaceId;
    }

    fallback() external {}
}
