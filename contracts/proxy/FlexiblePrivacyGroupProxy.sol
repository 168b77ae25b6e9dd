// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ERC165Checker} from "@openzeppelin/contracts/utils/introspection/ERC165Checker.sol";
import {IFlexiblePrivacyGroupManagement} from "../interfaces/IFlexiblePrivacyGroupManagement.sol";
import {IFlexiblePrivacyGroupProxy} from "../interfaces/IFlexiblePrivacyGroupProxy.sol";

/// @title The group proxy (Besu injects it at 0x…7c with slot 0 = 0x…7b).
/// @notice Delegates every other call to the management contract, so the group's state lives here and
/// an upgrade is one storage write whatever the group's size. Who may upgrade is the management
/// contract's answer to canUpgrade(), asked in this proxy's context so that `msg.sender` is the caller.
contract FlexiblePrivacyGroupProxy is IFlexiblePrivacyGroupProxy {
    /// @dev Slot 0, the one slot Besu writes: the management contract to delegate to.
    address private _implementation;

    /// @dev Gas for asking the management contract canUpgrade() or canExecute().
    uint256 private constant QUESTION_GAS = 100_000;

    /// @notice The management contract was replaced (ERC-1967's event).
    event Upgraded(address indexed implementation);

    /// @notice The caller may not upgrade the group (canUpgrade() is false for it).
    error ProxyUnauthorizedAccount(address account);
    /// @notice The group is locked or not yet created (canExecute() is false); unlock it first.
    error ProxyGroupNotExecutable();
    /// @notice The new management contract is address(0).
    error ProxyImplementationZeroAddress();
    /// @notice The new management contract is the current one.
    error ProxyImplementationUnchanged(address implementation);
    /// @notice No code at the new management contract's address.
    error ProxyImplementationWithoutCode(address implementation);
    /// @notice The new contract does not declare the management interface through ERC-165.
    error ProxyImplementationNotManagement(address implementation);
    /// @notice The new contract does not work behind this proxy (a proxy given as implementation
    /// recurses into itself), or under it the group would not read as executable or the upgrader could
    /// not upgrade again: the next upgradeTo needs both answers.
    error ProxyImplementationUnusable(address implementation);

    /// @notice For ordinary deployments; the genesis injection writes the same slot without running this.
    /// @param initialCall Run in the new group right away, typically addParticipants(keys): the deployer
    /// then creates the group in the same transaction, so nobody can create it first and own it.
    /// Empty leaves the group uncreated, as in genesis.
    constructor(address initialImplementation, bytes memory initialCall) {
        _requireManagement(initialImplementation);
        _implementation = initialImplementation;
        (bool answered, ) = _ask(IFlexiblePrivacyGroupManagement.canExecute.selector);
        if (!answered) revert ProxyImplementationUnusable(initialImplementation);
        if (initialCall.length > 0) Address.functionDelegateCall(initialImplementation, initialCall);
    }

    /// @inheritdoc IFlexiblePrivacyGroupProxy
    function implementation() external view returns (address) {
        return _implementation;
    }

    /// @inheritdoc IFlexiblePrivacyGroupProxy
    function upgradeTo(address newImplementation) external {
        (, bool authorized) = _ask(IFlexiblePrivacyGroupManagement.canUpgrade.selector);
        if (!authorized) revert ProxyUnauthorizedAccount(msg.sender);
        (, bool executable) = _ask(IFlexiblePrivacyGroupManagement.canExecute.selector);
        if (!executable) revert ProxyGroupNotExecutable();
        if (newImplementation == _implementation) revert ProxyImplementationUnchanged(newImplementation);
        _requireManagement(newImplementation);
        _implementation = newImplementation;
        // The new code must read the group as the old one did (created, unlocked) and still let whoever
        // upgrades upgrade, or the group would be stuck with it: upgradeTo itself needs both answers.
        (, bool stillAuthorized) = _ask(IFlexiblePrivacyGroupManagement.canUpgrade.selector);
        (, bool stillExecutable) = _ask(IFlexiblePrivacyGroupManagement.canExecute.selector);
        if (!stillAuthorized || !stillExecutable) revert ProxyImplementationUnusable(newImplementation);
        emit Upgraded(newImplementation);
    }

    /// @notice Runs every other function in the management contract, on this proxy's storage.
    /// @dev Not payable (OpenZeppelin's Proxy is): a group holds no ether, so sending some is a mistake.
    // solhint-disable-next-line no-complex-fallback
    fallback() external {
        address target = _implementation;
        // solhint-disable-next-line no-inline-assembly
        assembly {
            calldatacopy(0, 0, calldatasize())
            let succeeded := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if succeeded {
                return(0, returndatasize())
            }
            revert(0, returndatasize())
        }
    }

    /// @dev Asks the management contract a yes/no question in this proxy's context. `answered` is false
    /// when it reverts or returns anything but one word; `yes` only for a well-formed true. The gas is
    /// capped, as ERC-165 queries are: a view needs far less, and a looping candidate fails fast.
    function _ask(bytes4 selector) private returns (bool answered, bool yes) {
        // solhint-disable-next-line avoid-low-level-calls
        (bool succeeded, bytes memory answer) = _implementation.delegatecall{gas: QUESTION_GAS}(
            abi.encodeWithSelector(selector)
        );
        answered = succeeded && answer.length == 32;
        yes = answered && uint256(bytes32(answer)) == 1;
    }

    function _requireManagement(address candidate) private view {
        if (candidate == address(0)) revert ProxyImplementationZeroAddress();
        if (candidate.code.length == 0) revert ProxyImplementationWithoutCode(candidate);
        if (!ERC165Checker.supportsInterface(candidate, type(IFlexiblePrivacyGroupManagement).interfaceId)) {
            revert ProxyImplementationNotManagement(candidate);
        }
    }
}
