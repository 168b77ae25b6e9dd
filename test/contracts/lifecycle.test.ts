import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { AbiCoder, Interface, ZeroHash, dataLength, getBytes, hexlify, id, toBigInt, zeroPadValue } from "ethers";
import { IMPLEMENTATION_SLOT, GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../../src/core/constants";
import { ALLOC_FILE, readCommittedAlloc } from "../../src/hardhat/genesis-file";
import { EC_KEY_LENGTH, NACL_KEY_LENGTH, pseudoRandomKeys } from "../../src/hardhat/trial-keys";
import { genesisFixture } from "../helpers/fixtures";
import { expectRefused } from "../helpers/matrix";
import { decodedEvents, encodeParticipants, expectParticipants, mined, rawParticipants } from "../helpers/model";

/** Besu's selectors (FlexibleGroupManagement.java and the proxy), by function name. */
const MANAGEMENT_SELECTORS: Record<string, string> = {
  addParticipants: "0x965a25ef",
  removeParticipant: "0x1f52a8ee",
  getParticipants: "0x5aa68ac0",
  lock: "0xf83d08ba",
  unlock: "0xa69df4b5",
  canExecute: "0x78b90337",
  getVersion: "0x0d8e6e2c",
  canUpgrade: "0x9738968c",
};
const PROXY_SELECTORS: Record<string, string> = { upgradeTo: "0x3659cfe6", implementation: "0x5c60da1b" };

const added = (key: string) => ({ name: "ParticipantAdded", args: [true, key, ""] });
const removed = (key: string) => ({ name: "ParticipantRemoved", args: [key] });

const KEY_SIZES = [
  { label: "32-byte NaCl keys", length: NACL_KEY_LENGTH },
  { label: "91-byte EC keys", length: EC_KEY_LENGTH },
];

for (const { label, length } of KEY_SIZES) {
  describe(`group lifecycle with ${label}`, function () {
    const [a, b, c, d, e, f, g] = pseudoRandomKeys(`lifecycle-${length}`, 0, 7, length);
    const FIVE = [a, b, c, d, e];

    /** A genesis group created by `owner` with the five keys a … e, unlocked. */
    async function fiveMemberGroup() {
      const fixture = await loadFixture(genesisFixture);
      await mined(fixture.group.addParticipants(FIVE));
      return fixture;
    }

    it("the keys under test have the advertised length", function () {
      for (const key of [a, b, c, d, e, f, g]) expect(dataLength(key)).to.equal(length);
    });

    it("a creation receipt carries exactly one ParticipantAdded log per key, in order, and nothing else", async function () {
      const { group, owner } = await loadFixture(genesisFixture);
      const receipt = await mined(group.addParticipants(FIVE));
      expect(receipt.logs).to.have.length(FIVE.length);
      expect(decodedEvents(receipt, group.interface, GROUP_PROXY_ADDRESS)).to.deep.equal(FIVE.map(added));
      expect(await group.owner()).to.equal(owner.address);
      expect(await group.canExecute()).to.equal(true);
      expect(await group.getVersion()).to.not.equal(ZeroHash);
      await expectParticipants(group, FIVE);
    });

    it("lock, add and unlock each run only from the opposite state; add unlocks without an Unlocked log", async function () {
      const { group } = await loadFixture(fiveMemberGroup);
      const created = await group.getVersion();

      await expect(group.unlock()).to.be.revertedWithCustomError(group, "GroupNotLocked");
      await expect(group.addParticipants([f])).to.be.revertedWithCustomError(group, "GroupNotLocked");

      const lockReceipt = await mined(group.lock());
      expect(decodedEvents(lockReceipt, group.interface, GROUP_PROXY_ADDRESS)).to.deep.equal([{ name: "Locked", args: [] }]);
      expect(await group.canExecute()).to.equal(false);
      await expect(group.lock()).to.be.revertedWithCustomError(group, "GroupLocked");
      await expect(group.removeParticipant(a)).to.be.revertedWithCustomError(group, "GroupLocked");

      const addReceipt = await mined(group.addParticipants([f, g]));
      expect(decodedEvents(addReceipt, group.interface, GROUP_PROXY_ADDRESS)).to.deep.equal([added(f), added(g)]);
      expect(await group.canExecute()).to.equal(true);
      await expectParticipants(group, [...FIVE, f, g]);
      const afterAdd = await group.getVersion();
      expect(afterAdd).to.not.equal(created);

      await mined(group.lock());
      const unlockReceipt = await mined(group.unlock());
      expect(decodedEvents(unlockReceipt, group.interface, GROUP_PROXY_ADDRESS)).to.deep.equal([
        { name: "Unlocked", args: [] },
      ]);
      expect(await group.canExecute()).to.equal(true);
      expect(await group.getVersion()).to.equal(afterAdd);
      await expectParticipants(group, [...FIVE, f, g]);
    });

    it("removing the first key moves the last key into its place", async function () {
      const { group } = await loadFixture(fiveMemberGroup);
      const receipt = await mined(group.removeParticipant(a));
      expect(decodedEvents(receipt, group.interface, GROUP_PROXY_ADDRESS)).to.deep.equal([removed(a)]);
      await expectParticipants(group, [e, b, c, d]);
    });

    it("removing a middle key moves the last key into its place", async function () {
      const { group } = await loadFixture(fiveMemberGroup);
      const receipt = await mined(group.removeParticipant(c));
      expect(decodedEvents(receipt, group.interface, GROUP_PROXY_ADDRESS)).to.deep.equal([removed(c)]);
      await expectParticipants(group, [a, b, e, d]);
    });

    it("removing the last key just drops it", async function () {
      const { group } = await loadFixture(fiveMemberGroup);
      const receipt = await mined(group.removeParticipant(e));
      expect(decodedEvents(receipt, group.interface, GROUP_PROXY_ADDRESS)).to.deep.equal([removed(e)]);
      await expectParticipants(group, [a, b, c, d]);
    });

    it("removes down to one member in swap-and-pop order, and never removes the last member", async function () {
      const { group } = await loadFixture(fiveMemberGroup);
      const steps: [string, string[]][] = [
        [b, [a, e, c, d]],
        [a, [d, e, c]],
        [c, [d, e]],
        [d, [e]],
      ];
      for (const [key, expected] of steps) {
        await expect(group.removeParticipant(key)).to.emit(group, "ParticipantRemoved").withArgs(key);
        await expectParticipants(group, expected, `after removing ${key}`);
      }
      await expectRefused(group, () => group.removeParticipant(e), "ParticipantLastMember", [e]);
      expect(await group.canExecute()).to.equal(true);
    });

    it("a removed key can be added again; it goes to the end and can be removed again", async function () {
      const { group } = await loadFixture(fiveMemberGroup);
      await mined(group.removeParticipant(b));
      await mined(group.lock());
      await expect(group.addParticipants([b]))
        .to.emit(group, "ParticipantAdded")
        .withArgs(true, b, "");
      await expectParticipants(group, [a, e, c, d, b]);
      await mined(group.removeParticipant(a));
      await expectParticipants(group, [b, e, c, d]);
      await mined(group.removeParticipant(b));
      await expectParticipants(group, [d, e, c]);
    });

    it("the version changes on every membership change, to a new value every time, and on nothing else", async function () {
      const { group, newOwner } = await loadFixture(genesisFixture);
      const seen = [await group.getVersion()];
      expect(seen[0]).to.equal(ZeroHash);
      /** Runs a step and checks the version changed (to a never-seen value) exactly when `changes`. */
      const step = async (what: string, changes: boolean, run: () => Promise<unknown>) => {
        await run();
        const version = await group.getVersion();
        if (changes) {
          expect(seen, `${what} must give a new version`).to.not.include(version);
          seen.push(version);
        } else {
          expect(version, `${what} must keep the version`).to.equal(seen[seen.length - 1]);
        }
      };
      const refused = (tx: Promise<unknown>) => expect(tx).to.be.reverted;

      await step("creation", true, () => mined(group.addParticipants([a, b])));
      await step("lock", false, () => mined(group.lock()));
      await step("unlock", false, () => mined(group.unlock()));
      await step("a refused add", false, () => refused(group.addParticipants([c])));
      await step("lock", false, () => mined(group.lock()));
      await step("add", true, () => mined(group.addParticipants([c])));
      await step("a refused removal", false, () => refused(group.removeParticipant(d)));
      // Back to the members of the creation: the version must still be new, or Besu would accept a
      // transaction built against the old membership.
      await step("remove", true, () => mined(group.removeParticipant(c)));
      await expectParticipants(group, [a, b]);
      await step("transferOwnership", false, () => mined(group.transferOwnership(newOwner.address)));
      await step("acceptOwnership", false, () => mined(group.connect(newOwner).acceptOwnership()));
      await step("the new owner's lock", false, () => mined(group.connect(newOwner).lock()));
      await step("the new owner's add", true, () => mined(group.connect(newOwner).addParticipants([d, e])));
      await step("the new owner's remove", true, () => mined(group.connect(newOwner).removeParticipant(a)));
      expect(seen).to.have.length(6);
    });

    it("canExecute is true exactly while the group exists and is unlocked", async function () {
      const { group, newOwner } = await loadFixture(genesisFixture);
      expect(await group.canExecute(), "fresh").to.equal(false);
      await mined(group.addParticipants([a, b, c]));
      expect(await group.canExecute(), "created").to.equal(true);
      await mined(group.lock());
      expect(await group.canExecute(), "locked").to.equal(false);
      await mined(group.unlock());
      expect(await group.canExecute(), "unlocked").to.equal(true);
      await mined(group.lock());
      await mined(group.addParticipants([d]));
      expect(await group.canExecute(), "added").to.equal(true);
      await mined(group.removeParticipant(a));
      expect(await group.canExecute(), "removed").to.equal(true);
      await mined(group.lock());
      await mined(group.transferOwnership(newOwner.address));
      await mined(group.connect(newOwner).acceptOwnership());
      expect(await group.canExecute(), "locked, ownership moved").to.equal(false);
      await mined(group.connect(newOwner).unlock());
      expect(await group.canExecute(), "unlocked by the new owner").to.equal(true);
    });

    it("getParticipants returns the canonical ABI encoding byte for byte, from address(0) as Besu calls it", async function () {
      const { group } = await loadFixture(genesisFixture);
      const read = () => rawParticipants(hre.ethers.provider, GROUP_PROXY_ADDRESS);
      expect(await read(), "fresh").to.equal(AbiCoder.defaultAbiCoder().encode(["bytes[]"], [[]]));
      await mined(group.addParticipants(FIVE));
      expect(await read(), "created").to.equal(AbiCoder.defaultAbiCoder().encode(["bytes[]"], [FIVE]));
      await mined(group.removeParticipant(b));
      expect(await read(), "removed").to.equal(encodeParticipants([a, e, c, d]));
      await mined(group.lock());
      await mined(group.addParticipants([f, g]));
      expect(await read(), "locked").to.equal(encodeParticipants([a, e, c, d, f, g]));
      // The encoding has a fixed shape: offset, count, one offset per key, then length and words per key.
      const words = Math.ceil(length / 32);
      expect(dataLength(await read())).to.equal(32 * (2 + 6 + 6 * (1 + words)));
    });
  });
}

/** Calldata of `addParticipants(keys)` whose key padding bytes (after each key, up to its word) are 0xff. */
function addWithDirtyPadding(iface: Interface, keys: string[]): string {
  const bytes = getBytes(iface.encodeFunctionData("addParticipants", [keys]));
  const word = (at: number) => Number(toBigInt(bytes.slice(at, at + 32)));
  const array = 4 + word(4);
  const heads = array + 32;
  for (let i = 0; i < word(array); ++i) fillPadding(bytes, heads + word(heads + 32 * i));
  return hexlify(bytes);
}

/** Calldata of `removeParticipant(key)` with the key's padding bytes 0xff. */
function removeWithDirtyPadding(iface: Interface, key: string): string {
  const bytes = getBytes(iface.encodeFunctionData("removeParticipant", [key]));
  fillPadding(bytes, 4 + Number(toBigInt(bytes.slice(4, 36))));
  return hexlify(bytes);
}

/** Sets to 0xff the padding of the `bytes` whose length word sits at `at`; fails if there is none. */
function fillPadding(bytes: Uint8Array, at: number) {
  const keyLength = Number(toBigInt(bytes.slice(at, at + 32)));
  const start = at + 32 + keyLength;
  const end = at + 32 + Math.ceil(keyLength / 32) * 32;
  expect(end - start, "the key has padding bytes").to.be.greaterThan(0);
  expect(
    [...bytes.slice(start, end)].every((byte) => byte === 0),
    "the encoder padded with zeros",
  ).to.equal(true);
  bytes.fill(0xff, start, end);
}

describe("keys whose calldata padding bytes are not zero (91-byte EC keys): refused, so a change has one encoding", function () {
  const keys = pseudoRandomKeys("dirty-padding", 0, 4, EC_KEY_LENGTH);

  it("the crafted calldata really has 0xff padding and still decodes to the same keys", async function () {
    const { group } = await loadFixture(genesisFixture);
    const data = addWithDirtyPadding(group.interface, keys);
    const canonical = getBytes(group.interface.encodeFunctionData("addParticipants", [keys]));
    const changed = [...getBytes(data)].filter((byte, i) => byte !== canonical[i]);
    expect(changed).to.deep.equal(Array(keys.length * (96 - EC_KEY_LENGTH)).fill(0xff));
    expect(group.interface.decodeFunctionData("addParticipants", data)[0]).to.deep.equal(keys);
  });

  it("refuses a creation, an add and a removal whose key padding is not zero, and takes their canonical forms", async function () {
    const { group, owner } = await loadFixture(genesisFixture);
    const send = (data: string) => () => owner.sendTransaction({ to: GROUP_PROXY_ADDRESS, data });
    const [k0, k1, k2] = keys;
    await expectRefused(group, send(addWithDirtyPadding(group.interface, [k0, k1])), "GroupCalldataNotCanonical");
    await mined(group.addParticipants([k0, k1]));
    await mined(group.lock());
    await expectRefused(group, send(addWithDirtyPadding(group.interface, [k2])), "GroupCalldataNotCanonical");
    await mined(group.addParticipants([k2]));
    await expectRefused(group, send(removeWithDirtyPadding(group.interface, k0)), "GroupCalldataNotCanonical");
    await expect(group.removeParticipant(k0)).to.emit(group, "ParticipantRemoved").withArgs(k0);
    await expectParticipants(group, [k2, k1]);
    for (const key of await group.getParticipants()) expect(dataLength(key)).to.equal(EC_KEY_LENGTH);
  });

  it("refuses a list in which only the first key's padding is not zero", async function () {
    const { group, owner } = await loadFixture(genesisFixture);
    const [k0, k1, k2] = keys;
    const canonical = group.interface.encodeFunctionData("addParticipants", [[k0, k1, k2]]);
    const dirtyFirst = addWithDirtyPadding(group.interface, [k0, k1, k2]);
    // The first key's tail: its padding bytes from the dirty encoding, the rest canonical.
    const firstKeyEnd = 4 + 32 * 2 + 32 * 3 + 32 + 96;
    const data = hexlify(
      new Uint8Array([...getBytes(dirtyFirst).slice(0, firstKeyEnd), ...getBytes(canonical).slice(firstKeyEnd)]),
    );
    const changed = [...getBytes(data)].filter((byte, i) => byte !== getBytes(canonical)[i]);
    expect(changed, "only the first key's padding").to.deep.equal(Array(96 - EC_KEY_LENGTH).fill(0xff));
    expect(group.interface.decodeFunctionData("addParticipants", data)[0]).to.deep.equal([k0, k1, k2]);
    await expectRefused(group, () => owner.sendTransaction({ to: GROUP_PROXY_ADDRESS, data }), "GroupCalldataNotCanonical");
  });
});

describe("Besu's ABI", function () {
  it("the management contract and its interface have Besu's selectors", async function () {
    const { group } = await loadFixture(genesisFixture);
    const declared = new Interface((await hre.artifacts.readArtifact("IFlexiblePrivacyGroupManagement")).abi);
    for (const [name, selector] of Object.entries(MANAGEMENT_SELECTORS)) {
      expect((group.interface as Interface).getFunction(name)?.selector, name).to.equal(selector);
      expect(declared.getFunction(name)?.selector, name).to.equal(selector);
    }
  });

  it("the proxy and its interface have Besu's selectors", async function () {
    const { proxy } = await loadFixture(genesisFixture);
    const declared = new Interface((await hre.artifacts.readArtifact("IFlexiblePrivacyGroupProxy")).abi);
    for (const [name, selector] of Object.entries(PROXY_SELECTORS)) {
      expect((proxy.interface as Interface).getFunction(name)?.selector, name).to.equal(selector);
      expect(declared.getFunction(name)?.selector, name).to.equal(selector);
    }
  });

  it("the events have Besu's topics", async function () {
    const { group } = await loadFixture(genesisFixture);
    const participantAdded = group.interface.getEvent("ParticipantAdded").topicHash;
    const participantRemoved = group.interface.getEvent("ParticipantRemoved").topicHash;
    expect(participantAdded).to.equal(id("ParticipantAdded(bool,bytes,string)"));
    expect(participantAdded.startsWith("0x1673b13c") && participantAdded.endsWith("2de6"), participantAdded).to.equal(
      true,
    );
    expect(participantRemoved).to.equal(id("ParticipantRemoved(bytes)"));
    expect(
      participantRemoved.startsWith("0x52213552") && participantRemoved.endsWith("89b5"),
      participantRemoved,
    ).to.equal(true);
  });

  it("IFlexiblePrivacyGroupManagement is exactly Besu's: its 8 functions and 2 events, nothing else", async function () {
    const declared = new Interface((await hre.artifacts.readArtifact("IFlexiblePrivacyGroupManagement")).abi);
    expect(declared.fragments.map((fragment) => fragment.format("full")).sort()).to.deep.equal(
      [
        "event ParticipantAdded(bool success, bytes publicEnclaveKey, string message)",
        "event ParticipantRemoved(bytes publicEnclaveKey)",
        "function addParticipants(bytes[] publicEnclaveKeys) returns (bool)",
        "function canExecute() view returns (bool)",
        "function canUpgrade() returns (bool)",
        "function getParticipants() view returns (bytes[])",
        "function getVersion() view returns (bytes32)",
        "function lock()",
        "function removeParticipant(bytes participant) returns (bool)",
        "function unlock()",
      ].sort(),
    );
    expect(Object.keys(MANAGEMENT_SELECTORS).sort()).to.deep.equal(
      declared.fragments
        .filter((fragment) => fragment.type === "function")
        .map((fn) => fn.format("sighash").split("(")[0])
        .sort(),
    );
  });

  it("IFlexiblePrivacyGroupProxy is exactly upgradeTo and implementation", async function () {
    const declared = new Interface((await hre.artifacts.readArtifact("IFlexiblePrivacyGroupProxy")).abi);
    expect(declared.fragments.map((fragment) => fragment.format("minimal")).sort()).to.deep.equal([
      "function implementation() view returns (address)",
      "function upgradeTo(address)",
    ]);
  });
});

describe("the generated genesis files", function () {
  type Account = { balance: string; code: string; storage: Record<string, string> };
  const GENESIS = path.dirname(ALLOC_FILE);
  const alloc = () => readCommittedAlloc() as Record<string, Account>;

  it("alloc.json holds exactly the two accounts, lowercase, empty balances, and only the proxy's slot 0", function () {
    const accounts = alloc();
    expect(Object.keys(accounts)).to.deep.equal([GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS]);
    for (const [address, account] of Object.entries(accounts)) {
      expect(address, "lowercase address").to.equal(address.toLowerCase());
      expect(Object.keys(account).sort(), address).to.deep.equal(["balance", "code", "storage"]);
      expect(account.balance, address).to.equal("0x0");
      expect(account.code, address).to.match(/^0x(?:[0-9a-f]{2})+$/);
    }
    expect(accounts[GROUP_MANAGEMENT_ADDRESS].storage).to.deep.equal({});
    expect(accounts[GROUP_PROXY_ADDRESS].storage).to.deep.equal({
      ["0x" + "0".repeat(64)]: zeroPadValue(GROUP_MANAGEMENT_ADDRESS, 32),
    });
    expect(IMPLEMENTATION_SLOT).to.equal("0x" + "0".repeat(64));
    expect(zeroPadValue(GROUP_MANAGEMENT_ADDRESS, 32)).to.equal("0x" + "0".repeat(62) + "7b");
  });

  it("the runtime hex files are alloc.json's code", function () {
    const accounts = alloc();
    const hexFile = (name: string) => fs.readFileSync(path.join(GENESIS, name), "utf8").trim();
    expect(hexFile("FlexiblePrivacyGroupManagement.runtime.hex")).to.equal(accounts[GROUP_MANAGEMENT_ADDRESS].code);
    expect(hexFile("FlexiblePrivacyGroupProxy.runtime.hex")).to.equal(accounts[GROUP_PROXY_ADDRESS].code);
  });

  it("FlexibleGroupManagement.java has Besu's constants: alloc.json's runtime code and Besu's selectors", function () {
    const java = fs.readFileSync(path.join(GENESIS, "FlexibleGroupManagement.java"), "utf8");
    expect(java).to.include("package org.hyperledger.besu.ethereum.privacy.group;");
    expect(java).to.include("public class FlexibleGroupManagement {");
    const constants = Object.fromEntries(
      [...java.matchAll(/public static final Bytes (\w+) =\s*Bytes\.fromHexString\("([^"]*)"\);/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    const accounts = alloc();
    expect(constants).to.deep.equal({
      DEFAULT_GROUP_MANAGEMENT_RUNTIME_BYTECODE: accounts[GROUP_MANAGEMENT_ADDRESS].code.slice(2),
      PROXY_RUNTIME_BYTECODE: accounts[GROUP_PROXY_ADDRESS].code.slice(2),
      ADD_PARTICIPANTS_METHOD_SIGNATURE: MANAGEMENT_SELECTORS.addParticipants,
      CAN_EXECUTE_METHOD_SIGNATURE: MANAGEMENT_SELECTORS.canExecute,
      GET_PARTICIPANTS_METHOD_SIGNATURE: MANAGEMENT_SELECTORS.getParticipants,
      GET_VERSION_METHOD_SIGNATURE: MANAGEMENT_SELECTORS.getVersion,
      LOCK_GROUP_METHOD_SIGNATURE: MANAGEMENT_SELECTORS.lock,
      REMOVE_PARTICIPANT_METHOD_SIGNATURE: MANAGEMENT_SELECTORS.removeParticipant,
      UNLOCK_GROUP_METHOD_SIGNATURE: MANAGEMENT_SELECTORS.unlock,
    });
    expect((java.match(/public static final/g) ?? []).length, "no other constants").to.equal(9);
  });
});
