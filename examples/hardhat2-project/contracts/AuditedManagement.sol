// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {FlexiblePrivacyGroupManagement} from "flexible-privacy-groups/contracts/management/FlexiblePrivacyGroupManagement.sol";

/// @title A custom management contract the upgrade check accepts: the default rules, plus an audit note
/// the owner sets, kept in the project's own ERC-7201 namespace (never in a state variable at slot 0).
contract AuditedManagement is FlexiblePrivacyGroupManagement {
    /// @custom:storage-location erc7201:example.project.audited
    struct AuditLayout {
        bytes32 note;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("example.project.audited")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant AUDIT_SLOT = 0x3bd0e1b4a768da69714d60fae67a5c262e4fca1584cc37ef2e4cae8910052900;

    function auditNote() external view returns (bytes32) {
        return _auditLayout().note;
    }

    function setAuditNote(bytes32 note) external {
        _requireDelegated();
        _checkOwner(_layout().group);
        _auditLayout().note = note;
    }

    function _auditLayout() private pure returns (AuditLayout storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            $.slot := AUDIT_SLOT
        }
    }
}
