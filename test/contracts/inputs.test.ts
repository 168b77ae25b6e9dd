import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { concat, dataSlice, toBeHex } from "ethers";
import hre from "hardhat";
import { GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../../src/core/constants";
import { EC_KEY_LENGTH, NACL_KEY_LENGTH, pseudoRandomKey, pseudoRandomKeys } from "../../src/hardhat/trial-keys";
import { FlexiblePrivacyGroupProxy__factory } from "../../typechain-types";
import { INITIAL_KEYS, createdGroupFixture, genesisFixture } from "../helpers/fixtures";
import { expectRefused, expectUnchanged, snapshot } from "../helpers/matrix";

const NEW_KEYS = pseudoRandomKeys("inputs", 0, 3, NACL_KEY_LENGTH);
const EC_KEYS = pseudoRandomKeys("inputs-ec", 0, 3, EC_KEY_LENGTH);
const EMPTY = "0x";
const MAX_KEY_LENGTH = 1_024;
const TOO_LONG = MAX_KEY_LENGTH + 1;
const MAX_KEY_WORDS = 1_200;
const UNKNOWN = "0xdeadbeef";

/** A key of `length` bytes. */
const keyOf = (length: number, label = "odd-length") => pseudoRandomKey(label, length, length);

/** The created group (three NaCl keys), locked so that it accepts addParticipants. */
async function lockedGroupFixture() {
  const fixture = await loadFixture(createdGroupFixture);
  await fixture.group.lock();
  return fixture;
}

/** A group of two 91-byte EC keys, locked. */
async function lockedEcGroupFixture() {
  const fixture = await loadFixture(genesisFixture);
  await fixture.group.addParticipants(EC_KEYS.slice(0, 2));
  await fixture.group.lock();
  return fixture;
}

/** A group whose only member is INITIAL_KEYS[0], unlocked. */
async function singleMemberFixture() {
  const fixture = await loadFixture(genesisFixture);
  await fixture.group.addParticipants([INITIAL_KEYS[0]]);
  return fixture;
}

describe("bad inputs: each gets its named error and changes nothing", function () {
  describe("creating a group (the first addParticipants)", function () {
    it("can not create a group without participants", async function () {
      const { group } = await loadFixture(genesisFixture);
      await expectRefused(group, () => group.addParticipants([]), "GroupEmptyParticipantList");
    });

    it("can not create a group whose first key is empty", async function () {
      const { group } = await loadFixture(genesisFixture);
      await expectRefused(group, () => group.addParticipants([EMPTY]), "ParticipantKeyEmpty", [0]);
      await expectRefused(group, () => group.addParticipants([EMPTY, NEW_KEYS[0]]), "ParticipantKeyEmpty", [0]);
    });

    it("can not create a group with an empty key after the first, and names its index", async function () {
      const { group } = await loadFixture(genesisFixture);
      await expectRefused(group, () => group.addParticipants([NEW_KEYS[0], EMPTY]), "ParticipantKeyEmpty", [1]);
      await expectRefused(
        group,
        () => group.addParticipants([NEW_KEYS[0], NEW_KEYS[1], EMPTY]),
        "ParticipantKeyEmpty",
        [2],
      );
    });

    it("can not create a group with a key longer than 1,024 bytes", async function () {
      const { group } = await loadFixture(genesisFixture);
      await expectRefused(group, () => group.addParticipants([keyOf(TOO_LONG)]), "ParticipantKeyTooLong", [TOO_LONG]);
    });

    it("can not create a group whose keys differ in length, and names the key and the first key's length", async function () {
      const { group } = await loadFixture(genesisFixture);
      const cases: [string[], string, number][] = [
        [[NEW_KEYS[0], EC_KEYS[0]], EC_KEYS[0], NACL_KEY_LENGTH],
        [[EC_KEYS[0], NEW_KEYS[0]], NEW_KEYS[0], EC_KEY_LENGTH],
        [[NEW_KEYS[0], NEW_KEYS[1], keyOf(31)], keyOf(31), NACL_KEY_LENGTH],
        [[NEW_KEYS[0], keyOf(33)], keyOf(33), NACL_KEY_LENGTH],
      ];
      for (const [keys, key, groupLength] of cases) {
        await expectRefused(group, () => group.addParticipants(keys), "ParticipantKeyLengthMismatch", [
          key,
          groupLength,
        ]);
      }
    });

    it("can not create a group with the same participant twice", async function () {
      const { group } = await loadFixture(genesisFixture);
      await expectRefused(group, () => group.addParticipants([NEW_KEYS[0], NEW_KEYS[0]]), "ParticipantAlreadyMember", [
        NEW_KEYS[0],
      ]);
      await expectRefused(
        group,
        () => group.addParticipants([NEW_KEYS[0], NEW_KEYS[1], NEW_KEYS[0]]),
        "ParticipantAlreadyMember",
        [NEW_KEYS[0]],
      );
    });

    it("can still be created after all those refusals (they left the group fresh)", async function () {
      const { group, owner } = await loadFixture(genesisFixture);
      await expectRefused(group, () => group.addParticipants([]), "GroupEmptyParticipantList");
      await expectRefused(group, () => group.addParticipants([NEW_KEYS[0], NEW_KEYS[0]]), "ParticipantAlreadyMember", [
        NEW_KEYS[0],
      ]);
      await group.addParticipants([EC_KEYS[0]]);
      expect(await snapshot(group)).to.deep.include({ participants: [EC_KEYS[0]], owner: owner.address });
    });
  });

  describe("adding to an existing group", function () {
    it("can not add to an unlocked group, even a good key", async function () {
      const { group } = await loadFixture(createdGroupFixture);
      await expectRefused(group, () => group.addParticipants([NEW_KEYS[0]]), "GroupNotLocked");
      await expectRefused(group, () => group.addParticipants([]), "GroupNotLocked");
    });

    it("can not add an empty list of participants", async function () {
      const { group } = await loadFixture(lockedGroupFixture);
      await expectRefused(group, () => group.addParticipants([]), "GroupEmptyParticipantList");
    });

    it("can not add an empty key, and names its index", async function () {
      const { group } = await loadFixture(lockedGroupFixture);
      await expectRefused(group, () => group.addParticipants([EMPTY]), "ParticipantKeyEmpty", [0]);
      await expectRefused(group, () => group.addParticipants([NEW_KEYS[0], EMPTY]), "ParticipantKeyEmpty", [1]);
      await expectRefused(
        group,
        () => group.addParticipants([NEW_KEYS[0], NEW_KEYS[1], EMPTY]),
        "ParticipantKeyEmpty",
        [2],
      );
    });

    it("can not add a key whose length differs from the group's, and names the key and the group's length", async function () {
      const { group } = await loadFixture(lockedGroupFixture);
      for (const key of [EC_KEYS[0], keyOf(1), keyOf(31), keyOf(33), keyOf(64), keyOf(TOO_LONG)]) {
        await expectRefused(group, () => group.addParticipants([key]), "ParticipantKeyLengthMismatch", [
          key,
          NACL_KEY_LENGTH,
        ]);
      }
      // A good key first does not help the bad one through.
      await expectRefused(
        group,
        () => group.addParticipants([NEW_KEYS[0], EC_KEYS[0]]),
        "ParticipantKeyLengthMismatch",
        [EC_KEYS[0], NACL_KEY_LENGTH],
      );
    });

    it("can not add a NaCl key, or a key one byte short or long, to a group of EC keys", async function () {
      const { group } = await loadFixture(lockedEcGroupFixture);
      for (const key of [NEW_KEYS[0], keyOf(EC_KEY_LENGTH - 1), keyOf(EC_KEY_LENGTH + 1)]) {
        await expectRefused(group, () => group.addParticipants([key]), "ParticipantKeyLengthMismatch", [
          key,
          EC_KEY_LENGTH,
        ]);
      }
    });

    it("can not add a participant twice", async function () {
      const { group } = await loadFixture(lockedGroupFixture);
      for (const member of INITIAL_KEYS) {
        await expectRefused(group, () => group.addParticipants([member]), "ParticipantAlreadyMember", [member]);
      }
      // After a good new key in the same call: the whole call fails, the new key is not added either.
      await expectRefused(
        group,
        () => group.addParticipants([NEW_KEYS[0], INITIAL_KEYS[1]]),
        "ParticipantAlreadyMember",
        [INITIAL_KEYS[1]],
      );
    });

    it("can not add the same new participant twice in one call", async function () {
      const { group } = await loadFixture(lockedGroupFixture);
      await expectRefused(group, () => group.addParticipants([NEW_KEYS[0], NEW_KEYS[0]]), "ParticipantAlreadyMember", [
        NEW_KEYS[0],
      ]);
      await expectRefused(
        group,
        () => group.addParticipants([NEW_KEYS[0], NEW_KEYS[1], NEW_KEYS[2], NEW_KEYS[1]]),
        "ParticipantAlreadyMember",
        [NEW_KEYS[1]],
      );
    });

    it("can not add an EC member again in an EC group", async function () {
      const { group } = await loadFixture(lockedEcGroupFixture);
      await expectRefused(group, () => group.addParticipants([EC_KEYS[2], EC_KEYS[0]]), "ParticipantAlreadyMember", [
        EC_KEYS[0],
      ]);
    });

    it("can add a removed participant back (a removal really forgets the key)", async function () {
      const { group } = await loadFixture(createdGroupFixture);
      await group.removeParticipant(INITIAL_KEYS[1]);
      await group.lock();
      await expect(group.addParticipants([INITIAL_KEYS[1]]))
        .to.emit(group, "ParticipantAdded")
        .withArgs(true, INITIAL_KEYS[1], "");
      expect([...(await group.getParticipants())].sort()).to.deep.equal([...INITIAL_KEYS].sort());
    });
  });

  describe("lock and unlock", function () {
    it("can not lock a locked group", async function () {
      const { group } = await loadFixture(lockedGroupFixture);
      await expectRefused(group, () => group.lock(), "GroupLocked");
    });

    it("can not unlock an unlocked group", async function () {
      const { group } = await loadFixture(createdGroupFixture);
      await expectRefused(group, () => group.unlock(), "GroupNotLocked");
    });

    it("can not unlock a group that addParticipants already unlocked", async function () {
      const { group } = await loadFixture(lockedGroupFixture);
      await group.addParticipants([NEW_KEYS[0]]);
      await expectRefused(group, () => group.unlock(), "GroupNotLocked");
    });
  });

  describe("removing a participant", function () {
    it("can not remove a key that is not a member", async function () {
      const { group } = await loadFixture(createdGroupFixture);
      await expectRefused(group, () => group.removeParticipant(NEW_KEYS[0]), "ParticipantNotMember", [NEW_KEYS[0]]);
    });

    it("can not remove a key of another length, even one that starts with a member's bytes", async function () {
      const { group } = await loadFixture(createdGroupFixture);
      const longer = concat([INITIAL_KEYS[0], "0x00"]);
      const shorter = dataSlice(INITIAL_KEYS[0], 0, NACL_KEY_LENGTH - 1);
      for (const key of [EC_KEYS[0], longer, shorter, keyOf(1)]) {
        await expectRefused(group, () => group.removeParticipant(key), "ParticipantNotMember", [key]);
      }
    });

    it("can not remove an empty key", async function () {
      const { group } = await loadFixture(createdGroupFixture);
      await expectRefused(group, () => group.removeParticipant(EMPTY), "ParticipantNotMember", [EMPTY]);
    });

    it("can not remove the same participant twice", async function () {
      const { group } = await loadFixture(createdGroupFixture);
      await group.removeParticipant(INITIAL_KEYS[1]);
      await expectRefused(group, () => group.removeParticipant(INITIAL_KEYS[1]), "ParticipantNotMember", [
        INITIAL_KEYS[1],
      ]);
    });

    it("can not remove the last participant", async function () {
      const { group } = await loadFixture(singleMemberFixture);
      await expectRefused(group, () => group.removeParticipant(INITIAL_KEYS[0]), "ParticipantLastMember", [
        INITIAL_KEYS[0],
      ]);
    });

    it("can not remove the last participant left after other removals", async function () {
      const { group } = await loadFixture(createdGroupFixture);
      await group.removeParticipant(INITIAL_KEYS[0]);
      await group.removeParticipant(INITIAL_KEYS[2]);
      await expectRefused(group, () => group.removeParticipant(INITIAL_KEYS[1]), "ParticipantLastMember", [
        INITIAL_KEYS[1],
      ]);
    });

    it("can not remove a participant while the group is locked", async function () {
      const { group } = await loadFixture(lockedGroupFixture);
      await expectRefused(group, () => group.removeParticipant(INITIAL_KEYS[0]), "GroupLocked");
      // Locked wins over every other problem with the key.
      await expectRefused(group, () => group.removeParticipant(NEW_KEYS[0]), "GroupLocked");
    });
  });

  describe("group size: never more than Besu's 3,000,000-gas getParticipants() can return", function () {
    /** Adds `keys` in batches that fit a 2^24-gas transaction (Osaka's cap), locking before each add. */
    async function grow(group: Awaited<ReturnType<typeof genesisFixture>>["group"], keys: string[], batch: number) {
      for (let from = 0; from < keys.length; from += batch) {
        if (from > 0) await (await group.lock()).wait();
        await (await group.addParticipants(keys.slice(from, from + batch))).wait();
      }
      await (await group.lock()).wait();
    }

    it("states its limits: 1,200 key words, keys of at most 1,024 bytes", async function () {
      const { group } = await loadFixture(genesisFixture);
      expect(await group.MAX_KEY_WORDS()).to.equal(BigInt(MAX_KEY_WORDS));
      expect(await group.MAX_KEY_LENGTH()).to.equal(BigInt(MAX_KEY_LENGTH));
    });

    it("can not create a group of more keys than fit, and names how many do", async function () {
      const { group } = await loadFixture(genesisFixture);
      const keys = pseudoRandomKeys("too-many", 0, MAX_KEY_WORDS + 1, NACL_KEY_LENGTH);
      await expectRefused(group, () => group.addParticipants(keys), "GroupTooLarge", [
        MAX_KEY_WORDS + 1,
        MAX_KEY_WORDS,
      ]);
    });

    it("fills a NaCl group to 1,200 keys, which Besu can still read, and refuses the 1,201st", async function () {
      this.timeout(600_000); // a thousand-key group is slow to build under coverage's instrumented code
      const { group } = await loadFixture(genesisFixture);
      const keys = pseudoRandomKeys("full-nacl", 0, MAX_KEY_WORDS, NACL_KEY_LENGTH);
      await grow(group, keys, 300);
      const [extra] = pseudoRandomKeys("full-nacl", MAX_KEY_WORDS, 1, NACL_KEY_LENGTH);
      await expectRefused(group, () => group.addParticipants([extra]), "GroupTooLarge", [1_201, 1_200]);
      const data = group.interface.encodeFunctionData("getParticipants");
      const read = await hre.ethers.provider.call({
        from: hre.ethers.ZeroAddress,
        to: GROUP_PROXY_ADDRESS,
        data,
        gasLimit: 3_000_000,
      });
      expect(group.interface.decodeFunctionResult("getParticipants", read)[0]).to.have.length(MAX_KEY_WORDS);
    });

    it("fills an EC group to 400 keys and refuses the 401st", async function () {
      this.timeout(600_000); // a thousand-key group is slow to build under coverage's instrumented code
      const { group } = await loadFixture(genesisFixture);
      await grow(group, pseudoRandomKeys("full-ec", 0, 400, EC_KEY_LENGTH), 150);
      const [extra] = pseudoRandomKeys("full-ec", 400, 1, EC_KEY_LENGTH);
      await expectRefused(group, () => group.addParticipants([extra]), "GroupTooLarge", [401, 400]);
    });

    it("takes a 1,024-byte key, and then as many as fit in 1,200 words", async function () {
      const { group } = await loadFixture(genesisFixture);
      const keys = pseudoRandomKeys("long", 0, 38, MAX_KEY_LENGTH);
      await group.addParticipants([keys[0]]);
      await group.lock();
      await expectRefused(group, () => group.addParticipants(keys.slice(1)), "GroupTooLarge", [38, 37]);
    });
  });

  describe("addParticipants calldata that is not the canonical encoding Besu reads", function () {
    const [a, b, c] = NEW_KEYS;

    /** addParticipants([keys]) as ethers encodes it, canonically. */
    async function canonical(keys: string[]): Promise<string> {
      const { group } = await loadFixture(genesisFixture);
      return group.interface.encodeFunctionData("addParticipants", [keys]);
    }

    /** Sends raw calldata to the proxy from the owner. */
    async function sendRaw(data: string) {
      const { owner } = await loadFixture(genesisFixture);
      return owner.sendTransaction({ to: GROUP_PROXY_ADDRESS, data });
    }

    it("can not point a key's offset elsewhere: Besu, reading fixed offsets, would see another key", async function () {
      const { group } = await loadFixture(genesisFixture);
      const data = await canonical([a, b]);
      // Append a third tail (c) and point the second head at it: Solidity would decode [a, c], Besu [a, b].
      const heads = 4 + 64; // selector, array offset, array length; offsets count from here
      const cTail = concat([toBeHex(32, 32), c]);
      const secondHead = toBeHex(hre.ethers.dataLength(data) - heads, 32);
      const tampered = concat([dataSlice(data, 0, heads + 32), secondHead, dataSlice(data, heads + 64), cTail]);
      await expectRefused(group, () => sendRaw(tampered), "GroupCalldataNotCanonical");
    });

    it("can not swap two keys' offsets: Solidity would decode [b, a], Besu reads [a, b]", async function () {
      const { group } = await loadFixture(genesisFixture);
      const data = await canonical([a, b]);
      // Same length, same key words, only the two head words exchanged.
      const heads = 4 + 64;
      const swapped = concat([
        dataSlice(data, 0, heads),
        dataSlice(data, heads + 32, heads + 64),
        dataSlice(data, heads, heads + 32),
        dataSlice(data, heads + 64),
      ]);
      await expectRefused(group, () => sendRaw(swapped), "GroupCalldataNotCanonical");
    });

    /** A 32-byte word holding `value`, wrapped to 256 bits (so -32 is 2^256 - 32). */
    const word = (value: bigint) => toBeHex(BigInt.asUintN(256, value), 32);
    const selector = (data: string) => dataSlice(data, 0, 4);

    // In the next two, every key sits where the canonical encoding of the contract's decoded list puts
    // it and nothing trails it, so only the array's offset word (bytes 4 to 36) gives them away.
    it("can not move the array's offset onto the key's length word (overlapping): Besu reads another list", async function () {
      const { group } = await loadFixture(genesisFixture);
      // Solidity: the array at byte 100 has length 1 (also the key's length word) and its one head,
      // -32, points back at byte 100: the one-byte key 0xff. Besu: length 3 at byte 36, heads that
      // lead nowhere.
      const data = concat([selector(await canonical([a])), word(0x60n), word(3n), word(0x20n), word(1n), word(-32n)]);
      await expectRefused(group, () => sendRaw(data), "GroupCalldataNotCanonical");
    });

    it("can not move the array's offset into the key's bytes (wrapped): Besu reads 10 keys that are not there", async function () {
      const { group } = await loadFixture(genesisFixture);
      // Solidity: the array sits in the 64-byte key's own words (length 1, head -64 wrapping back to the
      // key's length word at byte 100), so the group would be created with that key. Besu: 10 keys.
      const data = concat([
        selector(await canonical([a])),
        word(0x80n),
        word(10n),
        word(0x20n),
        word(64n),
        word(1n),
        word(-64n),
      ]);
      await expectRefused(group, () => sendRaw(data), "GroupCalldataNotCanonical");
    });

    it("can not add bytes after the last key", async function () {
      const { group } = await loadFixture(genesisFixture);
      const data = concat([await canonical([a, b]), toBeHex(0, 32)]);
      await expectRefused(group, () => sendRaw(data), "GroupCalldataNotCanonical");
    });

    it("can not leave a gap between the array's offset word and the array", async function () {
      const { group } = await loadFixture(genesisFixture);
      const data = await canonical([a]);
      const gapped = concat([dataSlice(data, 0, 4), toBeHex(0x40, 32), toBeHex(0, 32), dataSlice(data, 36)]);
      await expectRefused(group, () => sendRaw(gapped), "GroupCalldataNotCanonical");
    });

    it("still takes the canonical encoding that ethers and Besu's clients send", async function () {
      const { group, owner } = await loadFixture(genesisFixture);
      await (await sendRaw(await canonical([a, b, c]))).wait();
      expect(await snapshot(group)).to.deep.include({ participants: [a, b, c], owner: owner.address });
    });
  });

  describe("calldata of every other state-changing function: exactly its canonical encoding", function () {
    type Fixture = Awaited<ReturnType<typeof createdGroupFixture>>;
    /** `data` with one byte, then one zero word, appended is refused; `data` itself then goes through. */
    async function expectOnlyCanonical(
      group: Fixture["group"],
      from: Fixture["owner"],
      data: string,
      then?: () => Promise<void>,
    ) {
      for (const extra of ["0x00", toBeHex(0, 32)]) {
        await expectRefused(
          group,
          () => from.sendTransaction({ to: GROUP_PROXY_ADDRESS, data: concat([data, extra]) }),
          "GroupCalldataNotCanonical",
        );
      }
      // The canonical form of the same call goes through, so the refusal above was the extra bytes'.
      await (await from.sendTransaction({ to: GROUP_PROXY_ADDRESS, data })).wait();
      await then?.();
    }

    it("lock(), unlock(): nothing after the selector", async function () {
      const { group, owner } = await loadFixture(createdGroupFixture);
      await expectOnlyCanonical(group, owner, group.interface.encodeFunctionData("lock"), async () => {
        expect(await group.canExecute()).to.equal(false);
      });
      await expectOnlyCanonical(group, owner, group.interface.encodeFunctionData("unlock"));
    });

    it("transferOwnership(address), acceptOwnership(), cancelOwnershipTransfer(): nothing after the arguments", async function () {
      const { group, owner, newOwner } = await loadFixture(createdGroupFixture);
      await expectOnlyCanonical(
        group,
        owner,
        group.interface.encodeFunctionData("transferOwnership", [newOwner.address]),
      );
      await expectOnlyCanonical(group, owner, group.interface.encodeFunctionData("cancelOwnershipTransfer"));
      await (await group.transferOwnership(newOwner.address)).wait();
      await expectOnlyCanonical(group, newOwner, group.interface.encodeFunctionData("acceptOwnership"), async () => {
        expect(await group.owner()).to.equal(newOwner.address);
      });
    });

    it("removeParticipant(bytes): nothing after the key, the standard offset, zero padding", async function () {
      const { group, owner } = await loadFixture(createdGroupFixture);
      const data = group.interface.encodeFunctionData("removeParticipant", [INITIAL_KEYS[0]]);
      const send = (raw: string) => () => owner.sendTransaction({ to: GROUP_PROXY_ADDRESS, data: raw });
      const offset = (value: number) =>
        concat([dataSlice(data, 0, 4), toBeHex(value, 32), toBeHex(0, value - 32), dataSlice(data, 36)]);
      await expectRefused(group, send(offset(64)), "GroupCalldataNotCanonical");
      await expectOnlyCanonical(group, owner, data, async () => {
        expect(await group.getParticipants()).to.not.include(INITIAL_KEYS[0]);
      });
    });

    it("removeParticipant of a 91-byte key: its padding is zero", async function () {
      const { group, owner } = await loadFixture(lockedEcGroupFixture);
      await (await group.unlock()).wait();
      const data = group.interface.encodeFunctionData("removeParticipant", [EC_KEYS[0]]);
      const dirty = concat([dataSlice(data, 0, hre.ethers.dataLength(data) - 1), "0x01"]);
      await expectRefused(
        group,
        () => owner.sendTransaction({ to: GROUP_PROXY_ADDRESS, data: dirty }),
        "GroupCalldataNotCanonical",
      );
      await expect(owner.sendTransaction({ to: GROUP_PROXY_ADDRESS, data })).to.emit(group, "ParticipantRemoved");
    });

    it("addParticipants of 91-byte keys: each key's padding is zero", async function () {
      const { group, owner } = await loadFixture(lockedEcGroupFixture);
      const data = group.interface.encodeFunctionData("addParticipants", [[EC_KEYS[2]]]);
      const dirty = concat([dataSlice(data, 0, hre.ethers.dataLength(data) - 1), "0x01"]);
      await expectRefused(
        group,
        () => owner.sendTransaction({ to: GROUP_PROXY_ADDRESS, data: dirty }),
        "GroupCalldataNotCanonical",
      );
      await expect(owner.sendTransaction({ to: GROUP_PROXY_ADDRESS, data })).to.emit(group, "ParticipantAdded");
    });
  });

  describe("calls that are no management function", function () {
    const OBSOLETE_BYTES32_ADD = "0xb4926e25"; // addParticipants(bytes32[]), Besu's ABI before 22.10

    it("names an unknown function called through the proxy, on a fresh and on a created group", async function () {
      for (const fixture of [genesisFixture, createdGroupFixture]) {
        const { group, owner } = await loadFixture(fixture);
        for (const data of [UNKNOWN, concat([UNKNOWN, toBeHex(1, 32)])]) {
          await expectRefused(group, () => owner.sendTransaction({ to: GROUP_PROXY_ADDRESS, data }), "GroupUnknownFunction", [
            UNKNOWN,
          ]);
        }
      }
    });

    it("names the obsolete bytes32 addParticipants instead of creating a group with it", async function () {
      const { group, owner } = await loadFixture(genesisFixture);
      const data = concat([
        OBSOLETE_BYTES32_ADD,
        hre.ethers.AbiCoder.defaultAbiCoder().encode(["bytes32[]"], [NEW_KEYS]),
      ]);
      await expectRefused(group, () => owner.sendTransaction({ to: GROUP_PROXY_ADDRESS, data }), "GroupUnknownFunction", [
        OBSOLETE_BYTES32_ADD,
      ]);
    });

    it("names an unknown function called at the implementation address too", async function () {
      const { group, implementation, owner } = await loadFixture(createdGroupFixture);
      await expectRefused(
        group,
        () => owner.sendTransaction({ to: GROUP_MANAGEMENT_ADDRESS, data: UNKNOWN }),
        "GroupUnknownFunction",
        [UNKNOWN],
        implementation,
      );
    });

    it("names empty calldata and calldata shorter than a selector, zero-padded", async function () {
      const { group, owner } = await loadFixture(createdGroupFixture);
      await expectRefused(
        group,
        () => owner.sendTransaction({ to: GROUP_PROXY_ADDRESS, data: "0x" }),
        "GroupUnknownFunction",
        ["0x00000000"],
      );
      await expectRefused(
        group,
        () => owner.sendTransaction({ to: GROUP_PROXY_ADDRESS, data: "0x0d8e6e" }),
        "GroupUnknownFunction",
        ["0x0d8e6e00"],
      );
    });
  });

  describe("ether", function () {
    async function expectNoEther() {
      for (const address of [GROUP_PROXY_ADDRESS, GROUP_MANAGEMENT_ADDRESS]) {
        expect(await hre.ethers.provider.getBalance(address), address).to.equal(0n);
      }
    }

    it("can not send ether to the group or to the implementation", async function () {
      const { group, owner } = await loadFixture(createdGroupFixture);
      for (const to of [GROUP_PROXY_ADDRESS, GROUP_MANAGEMENT_ADDRESS]) {
        await expectUnchanged(group, () =>
          expect(owner.sendTransaction({ to, value: 1n })).to.be.revertedWithoutReason(),
        );
      }
      await expectNoEther();
    });

    it("can not send ether with a management call or an upgrade, creation included", async function () {
      const { group, owner, newOwner } = await loadFixture(genesisFixture);
      const withEther = (data: string) => () => owner.sendTransaction({ to: GROUP_PROXY_ADDRESS, data, value: 1n });
      const add = group.interface.encodeFunctionData("addParticipants", [INITIAL_KEYS]);
      await expectUnchanged(group, () => expect(withEther(add)()).to.be.revertedWithoutReason());

      await group.addParticipants(INITIAL_KEYS);
      const calls = [
        group.interface.encodeFunctionData("lock"),
        group.interface.encodeFunctionData("removeParticipant", [INITIAL_KEYS[0]]),
        group.interface.encodeFunctionData("transferOwnership", [newOwner.address]),
        FlexiblePrivacyGroupProxy__factory.createInterface().encodeFunctionData("upgradeTo", [GROUP_MANAGEMENT_ADDRESS]),
        UNKNOWN,
      ];
      for (const data of calls) {
        await expectUnchanged(group, () => expect(withEther(data)()).to.be.revertedWithoutReason());
        // The same call without ether gets past that point (it succeeds or fails for its own reason).
        await expect(owner.call({ to: GROUP_PROXY_ADDRESS, data })).to.not.be.revertedWithoutReason();
      }
      await expectNoEther();
    });

    it("can not read with ether attached", async function () {
      const { group, owner } = await loadFixture(createdGroupFixture);
      const data = group.interface.encodeFunctionData("getParticipants");
      await expect(owner.call({ to: GROUP_PROXY_ADDRESS, data, value: 1n })).to.be.revertedWithoutReason();
      expect(await owner.call({ to: GROUP_PROXY_ADDRESS, data }), "the read itself works").to.not.equal("0x");
    });
  });
});
