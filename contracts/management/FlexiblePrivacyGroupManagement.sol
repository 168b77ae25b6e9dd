// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IFlexiblePrivacyGroupManagement} from "../interfaces/IFlexiblePrivacyGroupManagement.sol";
import {IGroupOwnership} from "../interfaces/IGroupOwnership.sol";
import {GroupStorage} from "./GroupStorage.sol";
import {ParticipantKeys} from "./ParticipantKeys.sol";

/// @title The default management contract of a flexible privacy group (Besu injects it at 0x…7b).
/// @notice Runs only through the group proxy (0x…7c), which delegates to it, so `msg.sender` is the
/// real caller and the group's state lives in the proxy. Keeps Besu's semantics; rejects every bad
/// input with a named error where Besu returns false or corrupts the group.
contract FlexiblePrivacyGroupManagement is IFlexiblePrivacyGroupManagement, IGroupOwnership, IERC165 {
    using ParticipantKeys for bytes;

    /// @notice The most key words a group holds. Besu checks membership with a 3,000,000-gas
    /// getParticipants(), which reads 1,200 words (1,200 NaCl or 400 EC keys) in about 2.95M gas: a
    /// larger group could never be read, nor repaired, by its members again.
    uint256 public constant MAX_KEY_WORDS = 1_200;

    /// @notice The longest key accepted; Tessera keys are 32 (NaCl) or 91 (EC) bytes.
    uint256 public constant MAX_KEY_LENGTH = 1_024;

    /// @dev Where the first key's bytes start in canonical addParticipants calldata: selector, array
    /// offset, array length, then one offset word per key and the key's length word.
    uint256 private constant FIRST_KEY_HEAD = 4 + 32 + 32;

    /// @notice The group is locked.
    event Locked();

    /// @notice The group was unlocked by unlock(). (addParticipants unlocks too, logging only its keys.)
    event Unlocked();

    /// @notice Called at the management contract's own address instead of through a group proxy.
    error GroupCalledDirectly();
    /// @notice `account` is not the group's owner (or, for acceptOwnership, not the pending owner).
    error GroupUnauthorizedAccount(address account);
    /// @notice The group is locked; unlock it or add participants first.
    error GroupLocked();
    /// @notice The group is not locked; lock it first.
    error GroupNotLocked();
    /// @notice addParticipants was given no keys.
    error GroupEmptyParticipantList();
    /// @notice The function does not exist on the group.
    error GroupUnknownFunction(bytes4 selector);
    /// @notice The key at `index` of the list is empty.
    error ParticipantKeyEmpty(uint256 index);
    /// @notice The key is longer than MAX_KEY_LENGTH bytes.
    error ParticipantKeyTooLong(uint256 length);
    /// @notice The group would pass MAX_KEY_WORDS: `maxParticipants` keys of its length fit.
    error GroupTooLarge(uint256 participantCount, uint256 maxParticipants);
    /// @notice The addParticipants calldata is not the canonical ABI encoding, which Besu reads by fixed
    /// offsets: Besu and the contract would disagree on who was added.
    error ParticipantListNotCanonical();
    /// @notice The key's length differs from the group's; Besu cannot decode a mixed group.
    error ParticipantKeyLengthMismatch(bytes key, uint256 groupKeyLength);
    /// @notice The key is already a member, or appears twice in the list.
    error ParticipantAlreadyMember(bytes key);
    /// @notice The key is not a member.
    error ParticipantNotMember(bytes key);
    /// @notice The key is the group's last member; a group cannot be emptied.
    error ParticipantLastMember(bytes key);
    /// @notice transferOwnership to address(0) or to the current owner.
    error OwnershipInvalidNewOwner(address newOwner);
    /// @notice acceptOwnership or cancelOwnershipTransfer with no transfer pending.
    error OwnershipNoPendingTransfer();

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function addParticipants(bytes[] calldata publicEnclaveKeys) external returns (bool) {
        _requireDelegated();
        GroupStorage.Layout storage $ = GroupStorage.layout();
        GroupStorage.Group memory group = $.group;
        _admit(group, publicEnclaveKeys);

        uint256 keyLength = group.keyLength;
        uint32 count = group.participantCount;
        // In canonical calldata each key sits one length word plus its padded words after the previous.
        uint256 keyStart = FIRST_KEY_HEAD + 32 * publicEnclaveKeys.length + 32;
        uint256 keyStride = 32 + 32 * ParticipantKeys.wordCount(keyLength);
        for (uint256 i = 0; i < publicEnclaveKeys.length; ++i) {
            bytes calldata key = publicEnclaveKeys[i];
            if (key.length != keyLength) {
                if (key.length == 0) revert ParticipantKeyEmpty(i);
                revert ParticipantKeyLengthMismatch(key, keyLength);
            }
            if (key.calldataOffset() != keyStart) revert ParticipantListNotCanonical();
            keyStart += keyStride;
            bytes32 keyHash = key.hash();
            // A duplicate inside the list is caught here too: its first copy is already stored.
            if ($.positionOf[keyHash] != 0) revert ParticipantAlreadyMember(key);
            key.write(count);
            ++count;
            $.positionOf[keyHash] = count;
            key.emitAdded();
        }
        // Nothing may trail the last key either: the canonical encoding ends with it.
        if (msg.data.length != keyStart - 32) revert ParticipantListNotCanonical();

        group.participantCount = count;
        ++group.version;
        group.locked = false;
        $.group = group;
        return true;
    }

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function removeParticipant(bytes calldata participant) external returns (bool) {
        _requireDelegated();
        GroupStorage.Layout storage $ = GroupStorage.layout();
        GroupStorage.Group memory group = $.group;
        _requireOwner(group);
        if (group.locked) revert GroupLocked();
        bytes32 keyHash = participant.hash();
        uint256 positionPlusOne = $.positionOf[keyHash];
        if (positionPlusOne == 0) revert ParticipantNotMember(participant);
        uint256 last = group.participantCount - 1;
        if (last == 0) revert ParticipantLastMember(participant);

        // Swap and pop: the last key takes the removed key's place, so removal costs the same at any size.
        if (positionPlusOne - 1 != last) {
            $.positionOf[ParticipantKeys.move(last, positionPlusOne - 1, group.keyLength)] = positionPlusOne;
        }
        ParticipantKeys.clear(last, group.keyLength);
        delete $.positionOf[keyHash];

        group.participantCount = uint32(last);
        ++group.version;
        $.group = group;
        emit ParticipantRemoved(participant);
        return true;
    }

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function getParticipants() external view returns (bytes[] memory) {
        GroupStorage.Group storage group = GroupStorage.layout().group;
        ParticipantKeys.returnAll(group.participantCount, group.keyLength);
    }

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function lock() external {
        _requireDelegated();
        GroupStorage.Group storage group = GroupStorage.layout().group;
        _requireOwner(group);
        if (group.locked) revert GroupLocked();
        group.locked = true;
        emit Locked();
    }

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function unlock() external {
        _requireDelegated();
        GroupStorage.Group storage group = GroupStorage.layout().group;
        _requireOwner(group);
        if (!group.locked) revert GroupNotLocked();
        group.locked = false;
        emit Unlocked();
    }

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function canExecute() external view returns (bool) {
        GroupStorage.Group storage group = GroupStorage.layout().group;
        return group.owner != address(0) && !group.locked;
    }

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function getVersion() external view returns (bytes32) {
        return bytes32(uint256(GroupStorage.layout().group.version));
    }

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function canUpgrade() external view returns (bool) {
        address groupOwner = GroupStorage.layout().group.owner;
        return groupOwner != address(0) && msg.sender == groupOwner;
    }

    /// @inheritdoc IGroupOwnership
    function owner() external view returns (address) {
        return GroupStorage.layout().group.owner;
    }

    /// @inheritdoc IGroupOwnership
    function pendingOwner() external view returns (address) {
        return GroupStorage.layout().pendingOwner;
    }

    /// @inheritdoc IGroupOwnership
    function transferOwnership(address newOwner) external {
        _requireDelegated();
        GroupStorage.Layout storage $ = GroupStorage.layout();
        address currentOwner = $.group.owner;
        _requireOwner($.group);
        if (newOwner == address(0) || newOwner == currentOwner) revert OwnershipInvalidNewOwner(newOwner);
        $.pendingOwner = newOwner;
        emit OwnershipTransferStarted(currentOwner, newOwner);
    }

    /// @inheritdoc IGroupOwnership
    function acceptOwnership() external {
        _requireDelegated();
        GroupStorage.Layout storage $ = GroupStorage.layout();
        address newOwner = $.pendingOwner;
        if (newOwner == address(0)) revert OwnershipNoPendingTransfer();
        if (msg.sender != newOwner) revert GroupUnauthorizedAccount(msg.sender);
        address previousOwner = $.group.owner;
        $.group.owner = newOwner;
        delete $.pendingOwner;
        emit OwnershipTransferred(previousOwner, newOwner);
    }

    /// @inheritdoc IGroupOwnership
    function cancelOwnershipTransfer() external {
        _requireDelegated();
        GroupStorage.Layout storage $ = GroupStorage.layout();
        _requireOwner($.group);
        address pending = $.pendingOwner;
        if (pending == address(0)) revert OwnershipNoPendingTransfer();
        delete $.pendingOwner;
        emit OwnershipTransferCanceled(msg.sender, pending);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(IFlexiblePrivacyGroupManagement).interfaceId ||
            interfaceId == type(IGroupOwnership).interfaceId ||
            interfaceId == type(IERC165).interfaceId;
    }

    /// @notice Names the mistake instead of failing silently when a call hits no function.
    fallback() external {
        revert GroupUnknownFunction(msg.sig);
    }

    /// @dev The proxy keeps the implementation address in its slot 0, which this contract never writes:
    /// slot 0 is zero exactly when the code runs at its own address, where state changes would be lost
    /// on a state nobody reads.
    function _requireDelegated() private view {
        address implementation;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            implementation := sload(0)
        }
        if (implementation == address(0)) revert GroupCalledDirectly();
    }

    /// @dev The checks before keys are added: who may add, in which state, and how many. On creation,
    /// makes the signer the owner and fixes the group's key length from the first key (in `group`).
    function _admit(GroupStorage.Group memory group, bytes[] calldata keys) private view {
        if (group.owner == address(0)) {
            if (msg.sender == address(0)) revert GroupUnauthorizedAccount(msg.sender);
            if (keys.length == 0) revert GroupEmptyParticipantList();
            uint256 firstLength = keys[0].length;
            if (firstLength == 0) revert ParticipantKeyEmpty(0);
            if (firstLength > MAX_KEY_LENGTH) revert ParticipantKeyTooLong(firstLength);
            group.owner = msg.sender;
            group.keyLength = uint16(firstLength);
        } else {
            _requireOwner(group);
            if (!group.locked) revert GroupNotLocked();
            if (keys.length == 0) revert GroupEmptyParticipantList();
        }
        uint256 words = ParticipantKeys.wordCount(group.keyLength);
        uint256 newCount = group.participantCount + keys.length;
        if (newCount * words > MAX_KEY_WORDS) revert GroupTooLarge(newCount, MAX_KEY_WORDS / words);
    }

    function _requireOwner(GroupStorage.Group memory group) private view {
        if (group.owner == address(0) || msg.sender != group.owner) revert GroupUnauthorizedAccount(msg.sender);
    }
}
