// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.0;

/// @title The two functions Besu's group proxy (0x…7c) adds to the management interface.
interface IFlexiblePrivacyGroupProxy {
    /// @notice Points the group at a new management contract, keeping all group state.
    function upgradeTo(address newImplementation) external;

    /// @notice The management contract that the proxy delegates to.
    function implementation() external view returns (address);
}
