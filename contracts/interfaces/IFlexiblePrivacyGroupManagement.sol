// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.0;

/// @title The management interface that Hyperledger Besu and its clients call on the group proxy (0x…7c).
/// @notice Exactly Besu's ABI since 22.10 (keys as `bytes`). Besu parses `addParticipants` calldata and
/// `getParticipants()` return data by fixed offsets, so both must be canonical ABI encodings.
interface IFlexiblePrivacyGroupManagement {
    /// @notice Emitted once per key added. `success` is always true and `message` always empty here,
    /// since a bad key reverts instead; the signature is Besu's, so clients can read the log.
    // solhint-disable-next-line gas-indexed-events
    event ParticipantAdded(bool success, bytes publicEnclaveKey, string message);

    /// @notice Emitted once per key removed.
    event ParticipantRemoved(bytes publicEnclaveKey);

    /// @notice Creates the group (first call) or adds keys to a locked group, and unlocks it.
    function addParticipants(bytes[] calldata publicEnclaveKeys) external returns (bool);

    /// @notice Removes one key from an unlocked group.
    function removeParticipant(bytes calldata participant) external returns (bool);

    /// @notice The member keys, canonically ABI-encoded.
    function getParticipants() external view returns (bytes[] memory);

    /// @notice Locks the group so the next transaction to it can only be an `addParticipants`.
    function lock() external;

    /// @notice Unlocks a locked group without adding anyone.
    function unlock() external;

    /// @notice Whether private transactions may run in the group: created and unlocked.
    function canExecute() external view returns (bool);

    /// @notice Changes on every membership change and on nothing else.
    function getVersion() external view returns (bytes32);

    /// @notice Whether the caller may upgrade the management contract.
    function canUpgrade() external returns (bool);
}
