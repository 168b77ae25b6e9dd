// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

// solhint-disable gas-indexed-events

/// @title Test only: any contract in a group can emit the group's membership events; history must ignore it.
contract MembershipImpostor {
    event ParticipantAdded(bool success, bytes publicEnclaveKey, string message);
    event ParticipantRemoved(bytes publicEnclaveKey);

    /// @notice Claims that `key` joined the group.
    function claimAdded(bytes calldata key) external {
        emit ParticipantAdded(true, key, "");
    }

    /// @notice Claims that `key` left the group.
    function claimRemoved(bytes calldata key) external {
        emit ParticipantRemoved(key);
    }
}
