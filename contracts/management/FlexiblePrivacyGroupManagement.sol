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
/// @dev Made to be inherited: every function is `virtual`, and the checks sit in `internal virtual`
/// hooks (`_checkGroupAdmin`, `_checkOwner`, `_beforeAddParticipant`), so a custom management
/// contract overrides one hook. A derived contract keeps its own state in its own ERC-7201 namespace
/// and never declares state variables: slot 0 is the proxy's (`npx hardhat fpg:check-upgrade
/// <Contract>` checks both).
contract FlexiblePrivacyGroupManagement is IFlexiblePrivacyGroupManagement, IGroupOwnership, IERC165, GroupStorage {
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
    /// @notice `account` would become the owner but did not sign the transaction (it is a contract).
    /// On Besu an owner that is a contract locks the group for good: once it calls lock(), the privacy
    /// precompile drops every transaction not sent to the group proxy, so it can never unlock again.
    error GroupOwnerNotSigner(address account);
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
    /// @notice The calldata is not the canonical ABI encoding of the call: an offset that is not the
    /// standard one, non-zero padding, or bytes after the arguments. Besu reads addParticipants by fixed
    /// offsets, and the version hashes the calldata, so each change must have exactly one encoding.
    error GroupCalldataNotCanonical();
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
    /// @dev Checks the call's own calldata (msg.data) for the canonical encoding and hashes it into the
    /// version: call it only as the entry point, or through `super` from an override of addParticipants.
    function addParticipants(bytes[] calldata publicEnclaveKeys) public virtual returns (bool) {
        _requireDelegated();
        Layout storage $ = _layout();
        Group memory group = $.group;
        _admit(group, publicEnclaveKeys);

        // The array's offset word, which Besu never reads: canonical calldata puts the array right after it.
        if (uint256(bytes32(msg.data[4:36])) != 32) revert GroupCalldataNotCanonical();
        uint256 keyLength = group.keyLength;
        uint16 count = group.participantCount;
        // In canonical calldata each key sits one length word plus its padded words after the previous.
        uint256 keyStart = FIRST_KEY_HEAD + 32 * publicEnclaveKeys.length + 32;
        uint256 keyStride = 32 + 32 * ParticipantKeys.wordCount(keyLength);
        uint256 padding; // the keys' padding bits: zero in canonical calldata
        for (uint256 i = 0; i < publicEnclaveKeys.length; ++i) {
            bytes calldata key = publicEnclaveKeys[i];
            if (key.length != keyLength) {
                if (key.length == 0) revert ParticipantKeyEmpty(i);
                revert ParticipantKeyLengthMismatch(key, keyLength);
            }
            if (key.calldataOffset() != keyStart) revert GroupCalldataNotCanonical();
            keyStart += keyStride;
            _beforeAddParticipant(key);
            bytes32 keyHash = key.hash();
            // A duplicate inside the list is caught here too: its first copy is already stored.
            if ($.positionOf[keyHash] != 0) revert ParticipantAlreadyMember(key);
            padding |= key.write(count);
            ++count;
            $.positionOf[keyHash] = count;
            key.emitAdded();
        }
        // Nothing may trail the last key either, and padding is zero: the canonical encoding ends with the key.
        if (msg.data.length != keyStart - 32 || padding != 0) revert GroupCalldataNotCanonical();

        group.participantCount = count;
        group.version = _nextVersion(group.version);
        _storeMembershipChange(group); // unlocks
        return true;
    }

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function removeParticipant(bytes calldata participant) public virtual returns (bool) {
        _requireDelegated();
        // Canonical: the offset word is 0x20, the key's padding is zero and nothing follows it.
        if (
            uint256(bytes32(msg.data[4:36])) != 32 ||
            msg.data.length != FIRST_KEY_HEAD + 32 * ParticipantKeys.wordCount(participant.length) ||
            !ParticipantKeys.paddingIsZero(participant)
        ) revert GroupCalldataNotCanonical();
        Layout storage $ = _layout();
        Group memory group = $.group;
        _checkGroupAdmin(group);
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

        group.participantCount = uint16(last);
        group.version = _nextVersion(group.version);
        _storeMembershipChange(group);
        emit ParticipantRemoved(participant);
        return true;
    }

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function getParticipants() public view virtual returns (bytes[] memory) {
        Group storage group = _layout().group;
        ParticipantKeys.returnAll(group.participantCount, group.keyLength);
    }

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function lock() public virtual {
        _requireDelegatedCall(4);
        Group storage group = _layout().group;
        _checkGroupAdmin(group);
        if (group.locked) revert GroupLocked();
        group.locked = true;
        emit Locked();
    }

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function unlock() public virtual {
        _requireDelegatedCall(4);
        Group storage group = _layout().group;
        _checkGroupAdmin(group);
        if (!group.locked) revert GroupNotLocked();
        group.locked = false;
        emit Unlocked();
    }

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function canExecute() public view virtual returns (bool) {
        Group storage group = _layout().group;
        // A group that exists has at least one member, so this reads the one header slot.
        return group.participantCount != 0 && !group.locked;
    }

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function getVersion() public view virtual returns (bytes32) {
        return bytes32(uint256(_layout().group.version));
    }

    /// @inheritdoc IFlexiblePrivacyGroupManagement
    function canUpgrade() public view virtual returns (bool) {
        address groupOwner = _layout().group.owner;
        return groupOwner != address(0) && msg.sender == groupOwner;
    }

    /// @inheritdoc IGroupOwnership
    function owner() public view virtual returns (address) {
        return _layout().group.owner;
    }

    /// @inheritdoc IGroupOwnership
    function pendingOwner() public view virtual returns (address) {
        return _layout().pendingOwner;
    }

    /// @inheritdoc IGroupOwnership
    function transferOwnership(address newOwner) public virtual {
        _requireDelegatedCall(4 + 32);
        Layout storage $ = _layout();
        address currentOwner = $.group.owner;
        _checkOwner($.group);
        if (newOwner == address(0) || newOwner == currentOwner) revert OwnershipInvalidNewOwner(newOwner);
        $.pendingOwner = newOwner;
        emit OwnershipTransferStarted(currentOwner, newOwner);
    }

    /// @inheritdoc IGroupOwnership
    function acceptOwnership() public virtual {
        _requireDelegatedCall(4);
        Layout storage $ = _layout();
        address newOwner = $.pendingOwner;
        if (newOwner == address(0)) revert OwnershipNoPendingTransfer();
        if (msg.sender != newOwner) revert GroupUnauthorizedAccount(msg.sender);
        _requireSigner();
        address previousOwner = $.group.owner;
        $.group.owner = newOwner;
        delete $.pendingOwner;
        emit OwnershipTransferred(previousOwner, newOwner);
    }

    /// @inheritdoc IGroupOwnership
    function cancelOwnershipTransfer() public virtual {
        _requireDelegatedCall(4);
        Layout storage $ = _layout();
        _checkOwner($.group);
        address pending = $.pendingOwner;
        if (pending == address(0)) revert OwnershipNoPendingTransfer();
        delete $.pendingOwner;
        emit OwnershipTransferCanceled(msg.sender, pending);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public view virtual returns (bool) {
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
    function _requireDelegated() internal view {
        address implementation;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            implementation := sload(0)
        }
        if (implementation == address(0)) revert GroupCalledDirectly();
    }

    /// @dev _requireDelegated, and calldata of exactly `length` bytes, the canonical encoding of a call
    /// whose arguments are all of fixed size: every call has one encoding (see GroupCalldataNotCanonical).
    function _requireDelegatedCall(uint256 length) internal view {
        _requireDelegated();
        if (msg.data.length != length) revert GroupCalldataNotCanonical();
    }

    /// @dev The checks before keys are added: who may add, in which state, and how many. On creation,
    /// makes the signer the owner (in storage and in `group`) and fixes the group's key length from the
    /// first key (in `group`).
    function _admit(Group memory group, bytes[] calldata keys) private {
        if (group.owner == address(0)) {
            if (msg.sender == address(0)) revert GroupUnauthorizedAccount(msg.sender);
            _requireSigner();
            if (keys.length == 0) revert GroupEmptyParticipantList();
            uint256 firstLength = keys[0].length;
            if (firstLength == 0) revert ParticipantKeyEmpty(0);
            if (firstLength > MAX_KEY_LENGTH) revert ParticipantKeyTooLong(firstLength);
            group.owner = msg.sender;
            _layout().group.owner = msg.sender;
            group.keyLength = uint16(firstLength);
        } else {
            _checkGroupAdmin(group);
            if (!group.locked) revert GroupNotLocked();
            if (keys.length == 0) revert GroupEmptyParticipantList();
        }
        uint256 words = ParticipantKeys.wordCount(group.keyLength);
        uint256 newCount = group.participantCount + keys.length;
        if (newCount * words > MAX_KEY_WORDS) revert GroupTooLarge(newCount, MAX_KEY_WORDS / words);
    }

    /// @dev Who may lock, unlock, remove, and add to an existing group: the owner. Override to let
    /// others manage the members too (SecondAdminManagement does); ownership stays with _checkOwner.
    function _checkGroupAdmin(Group memory group) internal view virtual {
        _checkOwner(group);
    }

    /// @dev Who may transfer ownership or cancel a transfer: the owner (also _checkGroupAdmin's default).
    /// canUpgrade() decides upgrades separately.
    function _checkOwner(Group memory group) internal view virtual {
        if (group.owner == address(0) || msg.sender != group.owner) revert GroupUnauthorizedAccount(msg.sender);
    }

    /// @dev Runs for every key addParticipants stores, creation included, after its length and position
    /// were checked and before the duplicate check; revert to refuse the key. Does nothing here.
    // solhint-disable-next-line no-empty-blocks
    function _beforeAddParticipant(bytes calldata key) internal virtual {}

    /// @dev An owner must sign the group's private transactions itself: see GroupOwnerNotSigner.
    function _requireSigner() internal view {
        // solhint-disable-next-line avoid-tx-origin
        if (msg.sender != tx.origin) revert GroupOwnerNotSigner(msg.sender);
    }

    /// @dev The version after a membership change: keccak256 of the previous version, the parent block's
    /// hash and the change's calldata, cut to its low 216 bits. The parent hash makes the version differ
    /// between forks, as Besu's does, and the calldata (canonical, so one per change) makes two different
    /// changes on sibling blocks differ too: a transaction stamped with a version on one fork is dropped
    /// on the other. The previous version makes consecutive changes in one block differ. Whoever chooses
    /// the calldata (the owner picks the keys) can search for two changes with one version: with 216 bits
    /// a birthday search takes about 2^108 hashes.
    function _nextVersion(uint216 previous) internal view returns (uint216) {
        bytes32 parent = blockhash(block.number - 1);
        bytes32 next;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let data := mload(0x40)
            calldatacopy(data, 0, calldatasize())
            let change := keccak256(data, calldatasize())
            mstore(data, previous)
            mstore(add(data, 0x20), parent)
            mstore(add(data, 0x40), change)
            next := keccak256(data, 0x60)
        }
        return uint216(uint256(next));
    }
}
