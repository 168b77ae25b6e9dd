// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IFlexiblePrivacyGroupManagement} from "../interfaces/IFlexiblePrivacyGroupManagement.sol";

// Assembly is this library's purpose: it lays keys out word by word where Solidity's `bytes` storage
// would spend a length slot per key.
// solhint-disable no-inline-assembly

/// @title Reads and writes key words in the flat region at KEY_WORDS_SLOT.
/// @notice Keys are stored as raw 32-byte words (no per-key length slot, since the group has one key
/// length), which is what keeps a membership change at about two fresh slots per 32-byte key.
library ParticipantKeys {
    /// @dev keccak256(abi.encode(uint256(keccak256("flexible-privacy-group.management.key-words")) - 1)) &
    /// ~bytes32(uint256(0xff)). Key words form one flat region: the key at position p takes the
    /// ceil(keyLength / 32) slots from KEY_WORDS_SLOT + p * ceil(keyLength / 32) on, its last word
    /// zero-padded, so a 32-byte key costs one slot and a 91-byte key three.
    bytes32 internal constant KEY_WORDS_SLOT = 0x792c56d5ecabc1a8c5c43291c47534d60fa354628f738fa39e7681780a4d8300;

    /// @notice keccak256 of a key in calldata, without moving the free memory pointer.
    function hash(bytes calldata key) internal pure returns (bytes32 keyHash) {
        assembly ("memory-safe") {
            let scratch := mload(0x40)
            calldatacopy(scratch, key.offset, key.length)
            keyHash := keccak256(scratch, key.length)
        }
    }

    /// @notice Where the key's bytes start in the calldata.
    function calldataOffset(bytes calldata key) internal pure returns (uint256 offset) {
        assembly ("memory-safe") {
            offset := key.offset
        }
    }

    /// @notice Emits ParticipantAdded(true, key, "") for a key in calldata, encoded in place.
    /// @dev Solidity's encoder for the same event costs more per key, which a 100-key creation feels.
    function emitAdded(bytes calldata key) internal {
        bytes32 topic = IFlexiblePrivacyGroupManagement.ParticipantAdded.selector;
        assembly ("memory-safe") {
            let data := mload(0x40)
            let padded := and(add(key.length, 31), not(31))
            mstore(data, 1) // success
            mstore(add(data, 0x20), 0x60) // offset of the key
            mstore(add(data, 0x40), add(0x80, padded)) // offset of the message
            mstore(add(data, 0x60), key.length)
            mstore(add(add(data, 0x60), padded), 0) // zero the key's padding (the last word)
            calldatacopy(add(data, 0x80), key.offset, key.length)
            mstore(add(add(data, 0x80), padded), 0) // the empty message's length
            log1(data, add(0xa0, padded), topic)
        }
    }

    /// @notice Writes `key` at `position` and returns the calldata's padding bits after the key (zero in
    /// canonical calldata, so callers OR them together and check once); the padding is stored as zeros.
    function write(bytes calldata key, uint256 position) internal returns (uint256 padding) {
        uint256 words = wordCount(key.length);
        uint256 slot = slotOf(position, words);
        assembly ("memory-safe") {
            let last := sub(words, 1)
            for {
                let i := 0
            } lt(i, last) {
                i := add(i, 1)
            } {
                sstore(add(slot, i), calldataload(add(key.offset, shl(5, i))))
            }
            // 1 to 32 bytes of the key sit in the last word; keep those, zero the rest.
            let tailBytes := sub(key.length, shl(5, last))
            let word := calldataload(add(key.offset, shl(5, last)))
            let kept := and(word, not(shr(shl(3, tailBytes), not(0))))
            sstore(add(slot, last), kept)
            padding := xor(word, kept)
        }
    }

    /// @notice Whether the calldata's padding after `key` (up to its last word's end) is zero.
    function paddingIsZero(bytes calldata key) internal pure returns (bool) {
        uint256 tailBytes = key.length & 31;
        if (tailBytes == 0) return true;
        uint256 word;
        assembly ("memory-safe") {
            word := calldataload(add(key.offset, sub(key.length, tailBytes)))
        }
        return word << (tailBytes * 8) == 0;
    }

    /// @notice Moves the key at `from` to `to` and returns its keccak256, clearing nothing.
    function move(uint256 from, uint256 to, uint256 keyLength) internal returns (bytes32 keyHash) {
        uint256 words = wordCount(keyLength);
        uint256 source = slotOf(from, words);
        uint256 target = slotOf(to, words);
        assembly ("memory-safe") {
            let scratch := mload(0x40)
            for {
                let i := 0
            } lt(i, words) {
                i := add(i, 1)
            } {
                let word := sload(add(source, i))
                sstore(add(target, i), word)
                mstore(add(scratch, shl(5, i)), word)
            }
            keyHash := keccak256(scratch, keyLength)
        }
    }

    /// @notice Zeroes the key words at `position` (refunds their storage).
    function clear(uint256 position, uint256 keyLength) internal {
        uint256 words = wordCount(keyLength);
        uint256 slot = slotOf(position, words);
        assembly ("memory-safe") {
            for {
                let i := 0
            } lt(i, words) {
                i := add(i, 1)
            } {
                sstore(add(slot, i), 0)
            }
        }
    }

    /// @notice Ends the call, returning the first `count` keys as the canonical ABI encoding of `bytes[]`.
    /// @dev Builds the encoding in place (no intermediate bytes[]), which is what lets Besu's
    /// 3,000,000-gas membership check read groups of over a thousand keys.
    function returnAll(uint256 count, uint256 keyLength) internal view {
        uint256 words = wordCount(keyLength);
        uint256 slot = slotOf(0, words);
        assembly ("memory-safe") {
            let out := mload(0x40)
            mstore(out, 0x20) // offset of the array
            mstore(add(out, 0x20), count) // array length
            let heads := add(out, 0x40) // one offset per key, relative to heads
            let tailSize := add(0x20, shl(5, words)) // length word + key words
            let tail := add(heads, shl(5, count))
            for {
                let k := 0
            } lt(k, count) {
                k := add(k, 1)
            } {
                mstore(add(heads, shl(5, k)), sub(tail, heads))
                mstore(tail, keyLength)
                for {
                    let i := 0
                } lt(i, words) {
                    i := add(i, 1)
                } {
                    mstore(add(tail, shl(5, add(i, 1))), sload(add(slot, i)))
                }
                tail := add(tail, tailSize)
                slot := add(slot, words)
            }
            return(out, sub(tail, out))
        }
    }

    /// @notice The first storage slot of the key at `position`.
    function slotOf(uint256 position, uint256 words) internal pure returns (uint256) {
        return uint256(KEY_WORDS_SLOT) + position * words;
    }

    /// @notice Storage words a key of `keyLength` bytes takes.
    function wordCount(uint256 keyLength) internal pure returns (uint256) {
        return (keyLength + 31) >> 5;
    }
}
