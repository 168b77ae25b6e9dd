// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title A project's own private contract: a token whose balances only the group's members see.
contract Token {
    error InsufficientBalance(uint256 available, uint256 required);

    event Transfer(address indexed from, address indexed to, uint256 amount);

    mapping(address account => uint256) public balanceOf;

    constructor(uint256 supply) {
        balanceOf[msg.sender] = supply;
    }

    function transfer(address to, uint256 amount) external {
        uint256 available = balanceOf[msg.sender];
        if (available < amount) revert InsufficientBalance(available, amount);
        balanceOf[msg.sender] = available - amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
    }
}
