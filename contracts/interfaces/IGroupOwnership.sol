// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.0;

/// @title Two-step transfer of a group's owner, for rotating a signing key.
/// @notice The owner starts a transfer, the new key accepts it; until then the owner can cancel it.
interface IGroupOwnership {
    /// @notice A transfer was started and waits for `newOwner` to accept it.
    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);

    /// @notice `newOwner` accepted and now owns the group.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice The owner withdrew the pending transfer to `pendingOwner`.
    event OwnershipTransferCanceled(address indexed owner, address indexed pendingOwner);

    /// @notice The account that may change the group (address(0) before the group exists).
    function owner() external view returns (address);

    /// @notice The account that may accept ownership, or address(0).
    function pendingOwner() external view returns (address);

    /// @notice Starts a transfer to `newOwner`; replaces any pending one.
    function transferOwnership(address newOwner) external;

    /// @notice Completes the pending transfer; only the pending owner may call it.
    function acceptOwnership() external;

    /// @notice Withdraws the pending transfer.
    function cancelOwnershipTransfer() external;
}
