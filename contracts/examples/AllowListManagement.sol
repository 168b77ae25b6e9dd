// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {FlexiblePrivacyGroupManagement} from "../management/FlexiblePrivacyGroupManagement.sol";

/// @title Example: only keys the owner allowed beforehand may be added.
/// @notice After an upgrade to it, every addParticipants key must be on the allow list, kept by the owner.
/// Members already in the group stay.
/// @dev The list sits in its own ERC-7201 namespace, never in a state variable, which would start at
/// slot 0: the proxy's implementation.
contract AllowListManagement is FlexiblePrivacyGroupManagement {
    /// @custom:storage-location erc7201:flexible-privacy-group.example.allow-list
    struct AllowListLayout {
        mapping(bytes32 keyHash => bool) allowed;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("flexible-privacy-group.example.allow-list")) - 1)) &
    /// ~bytes32(uint256(0xff))
    bytes32 private constant ALLOW_LIST_SLOT = 0xcd20f5b7dcb01d25db5aeb93b3ffd81cd73641cbd8f5b3e281e3ecce77143500;

    /// @notice The owner put `publicEnclaveKey` on the allow list (`allowed`) or took it off.
    // solhint-disable-next-line gas-indexed-events
    event ParticipantAllowed(bytes publicEnclaveKey, bool allowed);

    /// @notice The key is not on the allow list.
    error ParticipantNotAllowed(bytes key);

    /// @notice Whether `key` may be added.
    function isAllowed(bytes calldata key) public view returns (bool) {
        return _allowListLayout().allowed[keccak256(key)];
    }

    /// @notice Puts `key` on the allow list or takes it off; owner only.
    function setAllowed(bytes calldata key, bool allowed) external {
        _requireDelegated();
        _checkOwner(_layout().group);
        _allowListLayout().allowed[keccak256(key)] = allowed;
        emit ParticipantAllowed(key, allowed);
    }

    /// @dev Refuses every key the owner did not allow.
    function _beforeAddParticipant(bytes calldata key) internal view override {
        if (!isAllowed(key)) revert ParticipantNotAllowed(key);
    }

    function _allowListLayout() private pure returns (AllowListLayout storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            $.slot := ALLOW_LIST_SLOT
        }
    }
}
