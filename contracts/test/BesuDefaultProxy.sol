// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

// Besu reverts with require strings; the double does the same.
// solhint-disable gas-custom-errors, reason-string, gas-small-strings

import {BesuDefaultManagement} from "./BesuDefaultManagement.sol";

/// @title Test only: a behavioural double of Besu 25.5's default group proxy (0x…7c), written from its
/// documented behaviour: it CALLs the management contract found in slot 0, emits ParticipantRemoved
/// itself, and an upgrade copies the members into the new management contract.
contract BesuDefaultProxy {
    event ParticipantRemoved(bytes publicEnclaveKey);

    BesuDefaultManagement public implementation; // slot 0, written by Besu at injection

    function addParticipants(bytes[] calldata keys) external returns (bool) {
        return implementation.addParticipants(keys);
    }

    function removeParticipant(bytes calldata key) external returns (bool) {
        bool removed = implementation.removeParticipant(key);
        if (removed) emit ParticipantRemoved(key);
        return removed;
    }

    function getParticipants() external view returns (bytes[] memory) {
        return implementation.getParticipants();
    }

    function lock() external {
        implementation.lock();
    }

    function unlock() external {
        implementation.unlock();
    }

    function canExecute() external view returns (bool) {
        return implementation.canExecute();
    }

    function getVersion() external view returns (bytes32) {
        return implementation.getVersion();
    }

    function canUpgrade() external view returns (bool) {
        return implementation.canUpgrade();
    }

    function upgradeTo(address newImplementation) external {
        require(implementation.canExecute(), "The contract is locked.");
        require(
            newImplementation != address(implementation),
            "The contract to upgrade to has to be different from the current management contract."
        );
        require(implementation.canUpgrade(), "Not allowed to upgrade the management contract.");
        bytes[] memory members = implementation.getParticipants();
        implementation = BesuDefaultManagement(newImplementation);
        implementation.addParticipants(members);
    }
}
