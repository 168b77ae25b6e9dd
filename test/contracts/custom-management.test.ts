import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { zeroPadValue } from "ethers";
import hre from "hardhat";
import { GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../../src/core/constants";
import { NACL_KEY_LENGTH, pseudoRandomKeys } from "../../src/hardhat/trial-keys";
import { erc7201Slot } from "../../src/hardhat/storage-layout";
import { AllowListManagement__factory, SecondAdminManagement__factory } from "../../typechain-types";
import { INITIAL_KEYS, createdGroupFixture } from "../helpers/fixtures";
import { expectRefused, snapshot } from "../helpers/matrix";

const [k0, k1, k2] = INITIAL_KEYS;
const [n0, n1] = pseudoRandomKeys("custom-management", 0, 2, NACL_KEY_LENGTH);

/** The created genesis group upgraded to SecondAdminManagement, with `other` as its second admin. */
async function secondAdminFixture() {
  const fixture = await loadFixture(createdGroupFixture);
  const implementation = await (await new SecondAdminManagement__factory(fixture.owner).deploy()).getAddress();
  await (await fixture.proxy.upgradeTo(implementation)).wait();
  const group = SecondAdminManagement__factory.connect(GROUP_PROXY_ADDRESS, fixture.owner);
  await (await group.setSecondAdmin(fixture.other.address)).wait();
  return { ...fixture, group, implementation };
}

/** The created genesis group upgraded to AllowListManagement, with n0 allowed. */
async function allowListFixture() {
  const fixture = await loadFixture(createdGroupFixture);
  const implementation = await (await new AllowListManagement__factory(fixture.owner).deploy()).getAddress();
  await (await fixture.proxy.upgradeTo(implementation)).wait();
  const group = AllowListManagement__factory.connect(GROUP_PROXY_ADDRESS, fixture.owner);
  await (await group.setAllowed(n0, true)).wait();
  return { ...fixture, group, implementation };
}

describe("custom management contracts built on the default one (contracts/examples)", function () {
  describe("SecondAdminManagement", function () {
    it("keeps the second admin in its own ERC-7201 namespace, never in slot 0", async function () {
      const { group, proxy, other, implementation } = await loadFixture(secondAdminFixture);
      expect(await group.secondAdmin()).to.equal(other.address);
      const slot = erc7201Slot("flexible-privacy-group.example.second-admin");
      expect(await hre.ethers.provider.getStorage(GROUP_PROXY_ADDRESS, slot)).to.equal(zeroPadValue(other.address, 32));
      expect(await proxy.implementation()).to.equal(implementation);
      expect(await snapshot(group)).to.deep.include({ participants: INITIAL_KEYS, canExecute: true });
    });

    it("lets the second admin lock, add and unlock", async function () {
      const { group, other } = await loadFixture(secondAdminFixture);
      const admin = group.connect(other);
      await expect(admin.lock()).to.emit(group, "Locked");
      await expect(admin.addParticipants([n0]))
        .to.emit(group, "ParticipantAdded")
        .withArgs(true, n0, "");
      await expect(admin.lock()).to.emit(group, "Locked");
      await expect(admin.unlock()).to.emit(group, "Unlocked");
      expect(await snapshot(group)).to.deep.include({ participants: [k0, k1, k2, n0], canExecute: true });
    });

    it("does not let the second admin remove a member, such as the owner's own node key; the owner may", async function () {
      // On Besu, removing the owner's node key would drop every later transaction of the owner, who could
      // then neither unlock, nor demote the admin, nor re-add its key: removal stays the owner's.
      const { group, other } = await loadFixture(secondAdminFixture);
      for (const key of [k0, k1]) {
        await expectRefused(group, () => group.connect(other).removeParticipant(key), "GroupUnauthorizedAccount", [
          other.address,
        ]);
      }
      await expect(group.removeParticipant(k1)).to.emit(group, "ParticipantRemoved").withArgs(k1);
      expect(await snapshot(group)).to.deep.include({ participants: [k0, k2], canExecute: true });
    });

    it("does not let the second admin name admins, transfer ownership or upgrade", async function () {
      const { group, proxy, other, newOwner } = await loadFixture(secondAdminFixture);
      const admin = group.connect(other);
      await expectRefused(group, () => admin.setSecondAdmin(newOwner.address), "GroupUnauthorizedAccount", [
        other.address,
      ]);
      await expectRefused(group, () => admin.transferOwnership(other.address), "GroupUnauthorizedAccount", [
        other.address,
      ]);
      await expectRefused(
        group,
        () => proxy.connect(other).upgradeTo(GROUP_MANAGEMENT_ADDRESS),
        "ProxyUnauthorizedAccount",
        [other.address],
        proxy,
      );
    });

    it("refuses the second admin through a contract, and anyone else", async function () {
      const { group, other, newOwner, caller } = await loadFixture(secondAdminFixture);
      const callerAddress = await caller.getAddress();
      await (await group.setSecondAdmin(callerAddress)).wait();
      const lock = group.interface.encodeFunctionData("lock");
      await expectRefused(group, () => caller.connect(other).forward(GROUP_PROXY_ADDRESS, lock), "GroupUnauthorizedAccount", [
        callerAddress,
      ]);
      await expectRefused(group, () => group.connect(newOwner).lock(), "GroupUnauthorizedAccount", [newOwner.address]);
      await expectRefused(group, () => group.connect(other).lock(), "GroupUnauthorizedAccount", [other.address]);
    });

    it("lets the owner remove the second admin, and refuses setSecondAdmin at the implementation's own address", async function () {
      const { group, owner, other, implementation } = await loadFixture(secondAdminFixture);
      await expect(group.setSecondAdmin(hre.ethers.ZeroAddress))
        .to.emit(group, "SecondAdminChanged")
        .withArgs(other.address, hre.ethers.ZeroAddress);
      await expectRefused(group, () => group.connect(other).lock(), "GroupUnauthorizedAccount", [other.address]);
      const direct = SecondAdminManagement__factory.connect(implementation, owner);
      await expect(direct.setSecondAdmin(other.address)).to.be.revertedWithCustomError(direct, "GroupCalledDirectly");
    });
  });

  describe("AllowListManagement", function () {
    it("refuses a key the owner did not allow, naming it, and changes nothing", async function () {
      const { group } = await loadFixture(allowListFixture);
      await (await group.lock()).wait();
      await expectRefused(group, () => group.addParticipants([n0, n1]), "ParticipantNotAllowed", [n1]);
    });

    it("adds an allowed key, keeps the members it had, and keeps the list in its own namespace", async function () {
      const { group, implementation } = await loadFixture(allowListFixture);
      await (await group.lock()).wait();
      await expect(group.addParticipants([n0]))
        .to.emit(group, "ParticipantAdded")
        .withArgs(true, n0, "");
      expect(await snapshot(group)).to.deep.include({ participants: [...INITIAL_KEYS, n0], canExecute: true });
      expect(await hre.ethers.provider.getStorage(GROUP_PROXY_ADDRESS, 0)).to.equal(zeroPadValue(implementation, 32));
    });

    it("lets only the owner change the list, and a key taken off can not be added", async function () {
      const { group, other } = await loadFixture(allowListFixture);
      await expectRefused(group, () => group.connect(other).setAllowed(n1, true), "GroupUnauthorizedAccount", [
        other.address,
      ]);
      await expect(group.setAllowed(n0, false)).to.emit(group, "ParticipantAllowed").withArgs(n0, false);
      expect(await group.isAllowed(n0)).to.equal(false);
      await (await group.lock()).wait();
      await expectRefused(group, () => group.addParticipants([n0]), "ParticipantNotAllowed", [n0]);
    });
  });
});
