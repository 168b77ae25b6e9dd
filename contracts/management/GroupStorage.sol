// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Where a group's state lives in the proxy's storage.
/// @notice The proxy delegates, so this state sits in the proxy (0x…7c) and survives every upgrade.
/// Besu injects the code with all-zero storage except the proxy's slot 0 (the implementation), so the
/// all-zero layout below must mean "no group yet", and nothing here may use slot 0.
/// @dev An abstract contract rather than a library so that the namespace struct belongs to the
/// management contract's inheritance: OpenZeppelin's upgrades-core then sees and compares it. It
/// declares no state variable. The key words live in a flat region of their own (ParticipantKeys).
abstract contract GroupStorage {
    /// @notice The group's header, in two slots: the owner alone, then everything a membership change,
    /// a lock or an unlock writes, and all that getParticipants() reads (27 + 2 + 2 + 1 = 32 bytes). Each
    /// of those changes writes one header slot. Solidity packs in order: the version does not fit beside
    /// the owner, so it and the fields after it start the second slot.
    struct Group {
        /// The signer of the creating transaction; address(0) until the group exists.
        address owner;
        /// A hash chain over the membership changes, bound to the chain they happened on (0 before the
        /// group exists); getVersion() returns it as bytes32. 216 bits: see _nextVersion.
        uint216 version;
        /// The byte length every key of the group has, fixed by the first key.
        uint16 keyLength;
        /// How many keys the group has; keys sit at positions 0 … participantCount - 1. At most
        /// MAX_KEY_WORDS (1,200), so 16 bits suffice. Never 0 once the group exists: the last member
        /// cannot be removed.
        uint16 participantCount;
        /// Whether the group waits for an addParticipants (or an unlock).
        bool locked;
    }

    /// @custom:storage-location erc7201:flexible-privacy-group.management
    struct Layout {
        Group group; // two slots
        address pendingOwner;
        /// keccak256(key) => position + 1 (0: not a member).
        mapping(bytes32 keyHash => uint256 positionPlusOne) positionOf;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("flexible-privacy-group.management")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant LAYOUT_SLOT = 0x5af63c4170d86c04a85a3404d1c27f6578a86d39bc7fe6fd5224e173dfe58800;

    /// @dev Writes the second header slot after a membership change (version, keyLength and
    /// participantCount from `group`) in one SSTORE, where Solidity writes a struct field by field,
    /// reading the slot again for each. `locked` is stored false: an add unlocks the group, and a removal
    /// runs only on an unlocked one. Packed as Solidity packs it: the first field in the lowest bytes.
    function _storeMembershipChange(Group memory group) internal {
        uint256 word =
            uint256(group.version) | (uint256(group.keyLength) << 216) | (uint256(group.participantCount) << 232);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(add(LAYOUT_SLOT, 1), word)
        }
    }

    /// @dev The group's state, at LAYOUT_SLOT in the proxy's storage.
    function _layout() internal pure returns (Layout storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            $.slot := LAYOUT_SLOT
        }
    }
}
