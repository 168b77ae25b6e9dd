// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

// solhint-disable avoid-low-level-calls, no-inline-assembly

/// @title Test only: a contract the owner calls, which then calls the group (the tx.origin phishing shape).
/// @notice It is never the owner: it may not create a group nor accept ownership (GroupOwnerNotSigner).
contract ForwardingCaller {
    function forward(address target, bytes calldata data) external returns (bytes memory) {
        (bool succeeded, bytes memory result) = target.call(data);
        if (!succeeded) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
        return result;
    }
}
