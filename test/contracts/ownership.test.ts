import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { GROUP_PROXY_ADDRESS } from "../../src/core/constants";
import { NACL_KEY_LENGTH, pseudoRandomKeys } from "../../src/hardhat/trial-keys";
import { INITIAL_KEYS, createdGroupFixture, upgradeTargets } from "../helpers/fixtures";
import { expectRefused, snapshot } from "../helpers/matrix";
import { versionAfter } from "../helpers/version";

const NEW_KEYS = pseudoRandomKeys("ownership", 0, 2, NACL_KEY_LENGTH);
/** The created group (three NaCl keys, unlocked) and an upgrade target. */
async function ownershipFixture() {
  const fixture = await loadFixture(createdGroupFixture);
  const { v2 } = await upgradeTargets(fixture.owner);
  return { ...fixture, v2: await v2.getAddress() };
}

/** The same with a transfer to `newOwner` pending. */
async function pendingFixture() {
  const fixture = await loadFixture(ownershipFixture);
  await fixture.group.transferOwnership(fixture.newOwner.address);
  return fixture;
}

describe("two-step ownership transfer", function () {
  describe("transferOwnership", function () {
    it("starts a transfer: emits OwnershipTransferStarted and sets the pending owner, nothing else", async function () {
      const { group, owner, newOwner } = await loadFixture(ownershipFixture);
      const before = await snapshot(group);
      await expect(group.transferOwnership(newOwner.address))
        .to.emit(group, "OwnershipTransferStarted")
        .withArgs(owner.address, newOwner.address);
      expect(await snapshot(group)).to.deep.equal({ ...before, pendingOwner: newOwner.address });
      expect(before.owner).to.equal(owner.address);
    });

    it("leaves the owner the only one who can act until the transfer is accepted", async function () {
      const { group, proxy, owner, newOwner, v2 } = await loadFixture(pendingFixture);
      const pendingOwnerGroup = group.connect(newOwner);
      const refused = [
        () => pendingOwnerGroup.lock(),
        () => pendingOwnerGroup.removeParticipant(INITIAL_KEYS[0]),
        () => pendingOwnerGroup.transferOwnership(owner.address),
        () => pendingOwnerGroup.cancelOwnershipTransfer(),
      ];
      for (const send of refused) {
        await expectRefused(group, send, "GroupUnauthorizedAccount", [newOwner.address]);
      }
      await expectRefused(
        group,
        () => proxy.connect(newOwner).upgradeTo(v2),
        "ProxyUnauthorizedAccount",
        [newOwner.address],
        proxy,
      );

      // The owner still runs the group, and the transfer stays pending through it all.
      await expect(group.lock()).to.emit(group, "Locked");
      await expectRefused(group, () => pendingOwnerGroup.addParticipants([NEW_KEYS[0]]), "GroupUnauthorizedAccount", [
        newOwner.address,
      ]);
      await expect(group.addParticipants([NEW_KEYS[0]])).to.emit(group, "ParticipantAdded");
      await expect(group.removeParticipant(INITIAL_KEYS[0])).to.emit(group, "ParticipantRemoved");
      await expect(proxy.upgradeTo(v2)).to.emit(proxy, "Upgraded").withArgs(v2);
      expect(await group.owner()).to.equal(owner.address);
      expect(await group.pendingOwner()).to.equal(newOwner.address);
    });

    it("replaces a pending transfer when called again", async function () {
      const { group, owner, newOwner, other } = await loadFixture(pendingFixture);
      await expect(group.transferOwnership(other.address))
        .to.emit(group, "OwnershipTransferStarted")
        .withArgs(owner.address, other.address);
      expect(await group.pendingOwner()).to.equal(other.address);
      await expectRefused(group, () => group.connect(newOwner).acceptOwnership(), "GroupUnauthorizedAccount", [
        newOwner.address,
      ]);
      await expect(group.connect(other).acceptOwnership())
        .to.emit(group, "OwnershipTransferred")
        .withArgs(owner.address, other.address);
      expect(await group.owner()).to.equal(other.address);
    });

    it("can not transfer ownership to address(0) or to the current owner", async function () {
      for (const fixture of [ownershipFixture, pendingFixture]) {
        const { group, owner } = await loadFixture(fixture);
        for (const target of [ZeroAddress, owner.address]) {
          // With a transfer pending, the refusal keeps it pending (groupState is unchanged).
          await expectRefused(group, () => group.transferOwnership(target), "OwnershipInvalidNewOwner", [target]);
        }
      }
    });
  });

  describe("acceptOwnership", function () {
    it("hands the group over: emits OwnershipTransferred and clears the pending owner, nothing else", async function () {
      const { group, owner, newOwner } = await loadFixture(pendingFixture);
      const before = await snapshot(group);
      await expect(group.connect(newOwner).acceptOwnership())
        .to.emit(group, "OwnershipTransferred")
        .withArgs(owner.address, newOwner.address);
      expect(await snapshot(group)).to.deep.equal({ ...before, owner: newOwner.address, pendingOwner: ZeroAddress });
    });

    it("lets the new owner lock, add, unlock, remove, transfer and upgrade, and the old owner none of it", async function () {
      const { group, proxy, owner, newOwner, v2, createdVersion } = await loadFixture(pendingFixture);
      await group.connect(newOwner).acceptOwnership();
      const oldOwnerGroup = group.connect(owner);
      const newOwnerGroup = group.connect(newOwner);
      const refuseOldOwner = (send: () => Promise<unknown>) =>
        expectRefused(group, send, "GroupUnauthorizedAccount", [owner.address]);

      await refuseOldOwner(() => oldOwnerGroup.lock());
      await expect(newOwnerGroup.lock()).to.emit(group, "Locked");

      await refuseOldOwner(() => oldOwnerGroup.unlock());
      await refuseOldOwner(() => oldOwnerGroup.addParticipants([NEW_KEYS[0]]));
      const add = newOwnerGroup.addParticipants([NEW_KEYS[0]]);
      await expect(add).to.emit(group, "ParticipantAdded").withArgs(true, NEW_KEYS[0], "");
      const addedVersion = await versionAfter(createdVersion, await add);

      await newOwnerGroup.lock();
      await expect(newOwnerGroup.unlock()).to.emit(group, "Unlocked");

      await refuseOldOwner(() => oldOwnerGroup.removeParticipant(INITIAL_KEYS[0]));
      const remove = newOwnerGroup.removeParticipant(INITIAL_KEYS[0]);
      await expect(remove).to.emit(group, "ParticipantRemoved").withArgs(INITIAL_KEYS[0]);
      const removedVersion = await versionAfter(addedVersion, await remove);

      await expectRefused(
        group,
        () => proxy.connect(owner).upgradeTo(v2),
        "ProxyUnauthorizedAccount",
        [owner.address],
        proxy,
      );
      await expect(proxy.connect(newOwner).upgradeTo(v2)).to.emit(proxy, "Upgraded").withArgs(v2);

      await refuseOldOwner(() => oldOwnerGroup.transferOwnership(owner.address));
      await refuseOldOwner(() => oldOwnerGroup.cancelOwnershipTransfer());
      await expect(newOwnerGroup.transferOwnership(owner.address))
        .to.emit(group, "OwnershipTransferStarted")
        .withArgs(newOwner.address, owner.address);
      await refuseOldOwner(() => oldOwnerGroup.cancelOwnershipTransfer());
      await expect(newOwnerGroup.cancelOwnershipTransfer())
        .to.emit(group, "OwnershipTransferCanceled")
        .withArgs(newOwner.address, owner.address);

      expect(await snapshot(group)).to.deep.equal({
        participants: [NEW_KEYS[0], INITIAL_KEYS[1], INITIAL_KEYS[2]],
        version: removedVersion,
        canExecute: true,
        owner: newOwner.address,
        pendingOwner: ZeroAddress,
        implementation: v2,
      });
    });

    it("can be accepted only once", async function () {
      const { group, newOwner } = await loadFixture(pendingFixture);
      await group.connect(newOwner).acceptOwnership();
      await expectRefused(group, () => group.connect(newOwner).acceptOwnership(), "OwnershipNoPendingTransfer");
    });

    it("can not hand the group to a contract: it can not accept, since on Besu it would lock the group for good", async function () {
      const { group, other, caller } = await loadFixture(pendingFixture);
      const callerAddress = await caller.getAddress();
      await group.transferOwnership(callerAddress);
      await expectRefused(
        group,
        () => caller.connect(other).forward(GROUP_PROXY_ADDRESS, group.interface.encodeFunctionData("acceptOwnership")),
        "GroupOwnerNotSigner",
        [callerAddress],
      );
    });

  });

  describe("cancelOwnershipTransfer", function () {
    it("withdraws the transfer: emits OwnershipTransferCanceled, after which accept fails", async function () {
      const { group, owner, newOwner } = await loadFixture(pendingFixture);
      const before = await snapshot(group);
      await expect(group.cancelOwnershipTransfer())
        .to.emit(group, "OwnershipTransferCanceled")
        .withArgs(owner.address, newOwner.address);
      expect(await snapshot(group)).to.deep.equal({ ...before, pendingOwner: ZeroAddress });
      await expectRefused(group, () => group.connect(newOwner).acceptOwnership(), "OwnershipNoPendingTransfer");
      expect(await group.owner()).to.equal(owner.address);
    });

    it("can not cancel, nor accept, when no transfer is pending", async function () {
      const { group, newOwner, other } = await loadFixture(ownershipFixture);
      await expectRefused(group, () => group.cancelOwnershipTransfer(), "OwnershipNoPendingTransfer");
      for (const account of [newOwner, other]) {
        await expectRefused(group, () => group.connect(account).acceptOwnership(), "OwnershipNoPendingTransfer");
      }
      // Nor a second time after a cancel.
      await group.transferOwnership(newOwner.address);
      await group.cancelOwnershipTransfer();
      await expectRefused(group, () => group.cancelOwnershipTransfer(), "OwnershipNoPendingTransfer");
    });
  });

  describe("what ownership changes leave alone, and what leaves ownership alone", function () {
    it("canUpgrade follows the owner, not the pending owner", async function () {
      const { group, owner, newOwner, other } = await loadFixture(ownershipFixture);
      const canUpgrade = async () =>
        Promise.all([owner, newOwner, other].map((account) => group.connect(account).canUpgrade()));
      expect(await canUpgrade()).to.deep.equal([true, false, false]);
      await group.transferOwnership(newOwner.address);
      expect(await canUpgrade(), "while pending").to.deep.equal([true, false, false]);
      await group.connect(newOwner).acceptOwnership();
      expect(await canUpgrade(), "after accepting").to.deep.equal([false, true, false]);
      await group.connect(newOwner).transferOwnership(other.address);
      await group.connect(newOwner).cancelOwnershipTransfer();
      expect(await canUpgrade(), "after a canceled transfer").to.deep.equal([false, true, false]);
    });

    it("ownership changes do not change the version (nor the members or canExecute)", async function () {
      const { group, owner, newOwner, other, createdVersion } = await loadFixture(ownershipFixture);
      const unchanged = { participants: INITIAL_KEYS, version: createdVersion, canExecute: true };
      const steps = [
        () => group.transferOwnership(newOwner.address),
        () => group.transferOwnership(other.address),
        () => group.cancelOwnershipTransfer(),
        () => group.transferOwnership(newOwner.address),
        () => group.connect(newOwner).acceptOwnership(),
        () => group.connect(newOwner).transferOwnership(owner.address),
        () => group.connect(owner).acceptOwnership(),
      ];
      for (const step of steps) {
        await step();
        expect(await snapshot(group)).to.deep.include(unchanged);
      }
      expect(await group.owner()).to.equal(owner.address);
    });

    it("ownership and a pending transfer survive lock and unlock; a transfer accepted while locked hands over the locked group", async function () {
      const { group, owner, newOwner } = await loadFixture(pendingFixture);
      const ownership = { owner: owner.address, pendingOwner: newOwner.address };
      await group.lock();
      expect(await snapshot(group)).to.deep.include({ ...ownership, canExecute: false });
      await group.unlock();
      expect(await snapshot(group)).to.deep.include({ ...ownership, canExecute: true });

      await group.lock();
      await group.connect(newOwner).acceptOwnership();
      expect(await snapshot(group)).to.deep.include({
        owner: newOwner.address,
        pendingOwner: ZeroAddress,
        canExecute: false,
      });
      await expectRefused(group, () => group.connect(owner).unlock(), "GroupUnauthorizedAccount", [owner.address]);
      await expect(group.connect(newOwner).addParticipants([NEW_KEYS[1]]))
        .to.emit(group, "ParticipantAdded")
        .withArgs(true, NEW_KEYS[1], "");
      expect(await snapshot(group)).to.deep.include({ owner: newOwner.address, canExecute: true });
    });

    it("ownership and a pending transfer survive an upgrade, and the new contract honours them", async function () {
      const { group, proxy, owner, newOwner, v2 } = await loadFixture(pendingFixture);
      await proxy.upgradeTo(v2);
      expect(await snapshot(group)).to.deep.include({
        owner: owner.address,
        pendingOwner: newOwner.address,
        implementation: v2,
      });
      await expect(group.connect(newOwner).acceptOwnership())
        .to.emit(group, "OwnershipTransferred")
        .withArgs(owner.address, newOwner.address);
      await expectRefused(group, () => group.connect(owner).lock(), "GroupUnauthorizedAccount", [owner.address]);
    });
  });
});
