// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Test only: a counter to run inside a privacy group, with a custom error, an event and a bare revert.
contract PrivateCounter {
    /// @notice The increment would pass the limit set at deployment.
    error CounterLimitReached(uint256 value, uint256 limit);

    /// @notice `by` moved the counter to `value`.
    event Counted(address indexed by, uint256 indexed value);

    uint256 public value;
    uint256 public limit;

    constructor(uint256 limit_) {
        limit = limit_;
    }

    /// @notice Adds one, up to the limit.
    function increment() external {
        uint256 next = value + 1;
        if (next > limit) revert CounterLimitReached(next, limit);
        value = next;
        emit Counted(msg.sender, next);
    }

    /// @notice Reverts with no data at all.
    function failWithoutData() external pure {
        // solhint-disable-next-line reason-string, gas-custom-errors
        revert();
    }
}
