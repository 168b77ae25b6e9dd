// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

// Besu reverts with bare requires and strings and emits unindexed events; the double does the same.
// solhint-disable avoid-tx-origin, gas-custom-errors, reason-string, gas-small-strings, gas-indexed-events

/// @title Test only: a behavioural double of Besu 25.5's default management contract, written from its
/// documented behaviour, so the client is tested against both contract families Besu groups can run.
/// @notice Its state lives at 0x…7b (the proxy CALLs it), it emits ParticipantAdded itself, the owner is
/// tx.origin, refusals of keys return false instead of reverting, and an add unlocks the group.
contract BesuDefaultManagement {
    event ParticipantAdded(bool success, bytes publicEnclaveKey, string message);

    address private _owner;
    bool private _canExecute;
    bytes32 private _version;
    bytes[] private _members;
    mapping(bytes => uint256) private _positionOf; // index + 1

    function addParticipants(bytes[] calldata keys) external returns (bool) {
        require(!_canExecute);
        if (_owner == address(0)) _owner = tx.origin;
        require(tx.origin == _owner, "Origin not the owner.");
        bool allAdded = true;
        for (uint256 i = 0; i < keys.length; ++i) {
            if (_positionOf[keys[i]] != 0) {
                allAdded = false;
                emit ParticipantAdded(false, keys[i], "Account is already a Member");
            } else {
                _members.push(keys[i]);
                _positionOf[keys[i]] = _members.length;
                emit ParticipantAdded(true, keys[i], "Member account added successfully");
            }
        }
        _canExecute = true;
        _updateVersion();
        return allAdded;
    }

    function removeParticipant(bytes calldata key) external returns (bool) {
        require(_canExecute);
        require(tx.origin == _owner, "Origin not the owner.");
        bool removed = false;
        uint256 position = _positionOf[key];
        if (position != 0) {
            bytes memory last = _members[_members.length - 1];
            _members[position - 1] = last;
            _positionOf[last] = position;
            _members.pop();
            delete _positionOf[key];
            removed = true;
        }
        _updateVersion(); // Besu bumps the version even when nothing was removed
        return removed;
    }

    function getParticipants() external view returns (bytes[] memory) {
        return _members;
    }

    function lock() external {
        require(_canExecute);
        require(tx.origin == _owner, "Origin not the owner.");
        _canExecute = false;
    }

    function unlock() external {
        require(!_canExecute);
        require(tx.origin == _owner, "Origin not the owner.");
        _canExecute = true;
    }

    function canExecute() external view returns (bool) {
        return _canExecute;
    }

    function getVersion() external view returns (bytes32) {
        return _version;
    }

    function canUpgrade() external view returns (bool) {
        return tx.origin == _owner;
    }

    function _updateVersion() private {
        _version = keccak256(abi.encode(blockhash(block.number - 1), block.coinbase, _members));
    }
}
