// SPDX-License-Identifier: Apache-2.0
// solhint-disable one-contract-per-file
pragma solidity 0.8.30;

/// @title Test only: code that the export must refuse to put in a genesis state.

/// @notice Its immutable would read as zero, since genesis code runs no constructor.
contract WithImmutable {
    uint256 private immutable CREATED_AT;

    constructor() {
        CREATED_AT = block.timestamp;
    }

    function createdAt() external view returns (uint256) {
        return CREATED_AT;
    }
}

library ExternalMath {
    function double(uint256 value) external pure returns (uint256) {
        return value * 2;
    }
}

/// @notice Calls a library that would have to be deployed and linked first.
contract WithLinkedLibrary {
    function quadruple(uint256 value) external pure returns (uint256) {
        return ExternalMath.double(ExternalMath.double(value));
    }
}
