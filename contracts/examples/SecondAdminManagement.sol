// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {FlexiblePrivacyGroupManagement} from "../management/FlexiblePrivacyGroupManagement.sol";

/// @title Example: a second admin who may lock, unlock and add members, next to the owner.
/// @notice Only the owner sets the second admin, removes members, transfers ownership and upgrades.
/// Removal stays the owner's because the contract cannot tell which key is the owner's own node: an
/// admin who removed it would have Besu drop every later transaction of the owner, who could then
/// neither unlock, nor demote the admin, nor re-add itself. Like the owner, the second admin must sign
/// its transactions itself: a contract admin could lock a Besu group for good.
/// @dev Its one piece of state sits in its own ERC-7201 namespace, never in a state variable, which
/// would start at slot 0: the proxy's implementation.
contract SecondAdminManagement is FlexiblePrivacyGroupManagement {
    /// @custom:storage-location erc7201:flexible-privacy-group.example.second-admin
    struct SecondAdminLayout {
        address secondAdmin;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("flexible-privacy-group.example.second-admin")) - 1)) &
    /// ~bytes32(uint256(0xff))
    bytes32 private constant SECOND_ADMIN_SLOT = 0x125e3e10f8878d2015a49682921a737674cc2b69eb516d7376d7ad726f6ab300;

    /// @notice The owner named `newAdmin` second admin (address(0): none).
    event SecondAdminChanged(address indexed previousAdmin, address indexed newAdmin);

    /// @notice The second admin, or address(0).
    function secondAdmin() public view returns (address) {
        return _secondAdminLayout().secondAdmin;
    }

    /// @notice Names the second admin; owner only. address(0) removes it.
    function setSecondAdmin(address newAdmin) external {
        _requireDelegatedCall(4 + 32);
        _checkOwner(_layout().group);
        SecondAdminLayout storage $ = _secondAdminLayout();
        emit SecondAdminChanged($.secondAdmin, newAdmin);
        $.secondAdmin = newAdmin;
    }

    /// @notice Removes a member; owner only (see the contract's notice).
    function removeParticipant(bytes calldata participant) public override returns (bool) {
        _checkOwner(_layout().group);
        return super.removeParticipant(participant);
    }

    /// @dev The owner, or the second admin signing for itself.
    function _checkGroupAdmin(Group memory group) internal view override {
        address admin = _secondAdminLayout().secondAdmin;
        // solhint-disable-next-line avoid-tx-origin
        if (admin != address(0) && msg.sender == admin && msg.sender == tx.origin) return;
        super._checkGroupAdmin(group);
    }

    function _secondAdminLayout() private pure returns (SecondAdminLayout storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            $.slot := SECOND_ADMIN_SLOT
        }
    }
}
