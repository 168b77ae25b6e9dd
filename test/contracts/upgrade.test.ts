import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroAddress, getAddress } from "ethers";
import { GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../../src/core/constants";
import { NACL_KEY_LENGTH, pseudoRandomKeys } from "../../src/hardhat/trial-keys";
import {
  FlexiblePrivacyGroupManagementV2__factory,
  FlexiblePrivacyGroupProxy__factory,
  LongAnswers__factory,
  NeverExecutes__factory,
  NeverUpgrades__factory,
  SilentManagement__factory,
} from "../../typechain-types";
import { INITIAL_KEYS, createdGroupFixture, genesisFixture, upgradeTargets } from "../helpers/fixtures";
import { expectRefused, expectUnchanged, snapshot } from "../helpers/matrix";
import { decodedEvents, expectParticipants, mined } from "../helpers/model";

const [k0, k1, k2] = INITIAL_KEYS;
const [n0, n1] = pseudoRandomKeys("upgrade", 0, 2, NACL_KEY_LENGTH);
const DEFAULT_MANAGEMENT = getAddress(GROUP_MANAGEMENT_ADDRESS);

/** The created genesis group (k0, k1, k2, unlocked, owned by `owner`) and the upgrade targets. */
async function upgradableGroup() {
  const fixture = await loadFixture(createdGroupFixture);
  const targets = await upgradeTargets(fixture.owner);
  return {
    ...fixture,
    ...targets,
    v2Address: await targets.v2.getAddress(),
    erc165OnlyAddress: await targets.erc165Only.getAddress(),
    callerAddress: await fixture.caller.getAddress(),
    /** The group through V2's ABI. */
    groupV2: FlexiblePrivacyGroupManagementV2__factory.connect(GROUP_PROXY_ADDRESS, fixture.owner),
  };
}

/** upgradableGroup with a reordered list (k2, k1) and a transfer to `newOwner` pending, then upgraded to V2. */
async function upgradedGroup() {
  const fixture = await loadFixture(upgradableGroup);
  await mined(fixture.group.removeParticipant(k0));
  await mined(fixture.group.transferOwnership(fixture.newOwner.address));
  const before = await snapshot(fixture.group);
  const receipt = await mined(fixture.proxy.upgradeTo(fixture.v2Address));
  return { ...fixture, before, receipt };
}

describe("upgrading the management contract", function () {
  describe("to the example V2", function () {
    it("emits Upgraded(v2) and nothing else, and implementation() returns v2", async function () {
      const { proxy, v2Address, receipt } = await loadFixture(upgradedGroup);
      expect(decodedEvents(receipt, proxy.interface, GROUP_PROXY_ADDRESS)).to.deep.equal([
        { name: "Upgraded", args: [v2Address] },
      ]);
      expect(await proxy.implementation()).to.equal(v2Address);
    });

    it("keeps the participants in their order, the owner, the pending owner, the version and canExecute", async function () {
      const { group, owner, newOwner, v2Address, before } = await loadFixture(upgradedGroup);
      expect(before.owner).to.equal(owner.address);
      expect(before.pendingOwner).to.equal(newOwner.address);
      expect(before.canExecute).to.equal(true);
      expect(before.implementation).to.equal(DEFAULT_MANAGEMENT);
      expect(await snapshot(group)).to.deep.equal({ ...before, implementation: v2Address });
      await expectParticipants(group, [k2, k1]);
    });

    it("serves V2's new functions through the proxy, on the group's kept state", async function () {
      const { group, groupV2 } = await loadFixture(upgradedGroup);
      expect(await groupV2.managementGeneration()).to.equal(2n);
      for (const key of [k1, k2]) expect(await groupV2.isParticipant(key), key).to.equal(true);
      for (const key of [k0, n0, "0x"]) expect(await groupV2.isParticipant(key), key).to.equal(false);
      await mined(group.lock());
      await mined(group.addParticipants([k0]));
      expect(await groupV2.isParticipant(k0)).to.equal(true);
    });

    it("V2's functions did not exist before the upgrade", async function () {
      const { group, groupV2 } = await loadFixture(upgradableGroup);
      await expect(groupV2.managementGeneration())
        .to.be.revertedWithCustomError(group, "GroupUnknownFunction")
        .withArgs(groupV2.interface.getFunction("managementGeneration").selector);
    });

    it("the pending transfer made before the upgrade can be accepted after it", async function () {
      const { group, proxy, newOwner } = await loadFixture(upgradedGroup);
      await expect(group.connect(newOwner).acceptOwnership()).to.emit(group, "OwnershipTransferred");
      expect(await group.owner()).to.equal(newOwner.address);
      await expect(proxy.connect(newOwner).upgradeTo(DEFAULT_MANAGEMENT))
        .to.emit(proxy, "Upgraded")
        .withArgs(DEFAULT_MANAGEMENT);
    });

    it("after the upgrade the lock rules still hold and the version keeps counting from where it was", async function () {
      const { group, proxy, other, v2Address } = await loadFixture(upgradableGroup);
      const seen = [await group.getVersion()];
      /** Checks that the last membership change gave a version never seen, before or after the upgrade. */
      const expectNewVersion = async (what: string) => {
        const version = await group.getVersion();
        expect(seen, `${what} must give a new version`).to.not.include(version);
        seen.push(version);
      };
      await mined(group.lock());
      await mined(group.addParticipants([n0]));
      await expectNewVersion("add before the upgrade");
      await mined(group.removeParticipant(k0));
      await expectNewVersion("remove before the upgrade");

      await mined(proxy.upgradeTo(v2Address));
      expect(await group.getVersion(), "the upgrade keeps the version").to.equal(seen[seen.length - 1]);

      await expectRefused(group, () => group.unlock(), "GroupNotLocked");
      await expectRefused(group, () => group.addParticipants([n1]), "GroupNotLocked");
      await expectRefused(group, () => group.connect(other).lock(), "GroupUnauthorizedAccount", [other.address]);
      await expect(group.lock()).to.emit(group, "Locked");
      expect(await group.canExecute()).to.equal(false);
      expect(await group.getVersion(), "lock keeps the version").to.equal(seen[seen.length - 1]);
      await expectRefused(group, () => group.removeParticipant(k1), "GroupLocked");
      await expectRefused(group, () => proxy.upgradeTo(DEFAULT_MANAGEMENT), "ProxyGroupNotExecutable", [], proxy);

      await expect(group.addParticipants([k0, n1]))
        .to.emit(group, "ParticipantAdded")
        .withArgs(true, n1, "");
      await expectNewVersion("add after the upgrade");
      expect(await group.canExecute()).to.equal(true);
      await expectParticipants(group, [n0, k1, k2, k0, n1]);
      await expect(group.removeParticipant(k1)).to.emit(group, "ParticipantRemoved").withArgs(k1);
      await expectNewVersion("remove after the upgrade");
      await expectParticipants(group, [n0, n1, k2, k0]);
      await expectRefused(group, () => group.removeParticipant(k1), "ParticipantNotMember", [k1]);
    });

    it("a locked group can not be upgraded until it is unlocked", async function () {
      const { group, proxy, v2Address } = await loadFixture(upgradableGroup);
      await mined(group.lock());
      await expectRefused(group, () => proxy.upgradeTo(v2Address), "ProxyGroupNotExecutable", [], proxy);
      await mined(group.unlock());
      await expect(proxy.upgradeTo(v2Address)).to.emit(proxy, "Upgraded").withArgs(v2Address);
    });
  });

  it("can go back to the default contract at 0x…7b, keeping the state, after which V2's functions are gone", async function () {
    const { group, groupV2, proxy, before } = await loadFixture(upgradedGroup);
    const receipt = await mined(proxy.upgradeTo(DEFAULT_MANAGEMENT));
    expect(decodedEvents(receipt, proxy.interface, GROUP_PROXY_ADDRESS)).to.deep.equal([
      { name: "Upgraded", args: [DEFAULT_MANAGEMENT] },
    ]);
    expect(await snapshot(group)).to.deep.equal(before);
    await expect(groupV2.isParticipant(k1))
      .to.be.revertedWithCustomError(group, "GroupUnknownFunction")
      .withArgs(groupV2.interface.getFunction("isParticipant").selector);
  });

  describe("refuses, changing nothing", function () {
    type Fixture = Awaited<ReturnType<typeof upgradableGroup>>;
    const targets: { what: string; target: (f: Fixture) => string; error: string; withAddress: boolean }[] = [
      { what: "address(0)", target: () => ZeroAddress, error: "ProxyImplementationZeroAddress", withAddress: false },
      {
        what: "an account without code",
        target: (f) => f.other.address,
        error: "ProxyImplementationWithoutCode",
        withAddress: true,
      },
      {
        what: "an address nobody used",
        target: () => getAddress("0x00000000000000000000000000000000000000de"),
        error: "ProxyImplementationWithoutCode",
        withAddress: true,
      },
      {
        what: "a contract without ERC-165 (the ForwardingCaller)",
        target: (f) => f.callerAddress,
        error: "ProxyImplementationNotManagement",
        withAddress: true,
      },
      {
        what: "a contract that declares ERC-165 but not the management interface",
        target: (f) => f.erc165OnlyAddress,
        error: "ProxyImplementationNotManagement",
        withAddress: true,
      },
      {
        what: "the current implementation",
        target: () => DEFAULT_MANAGEMENT,
        error: "ProxyImplementationUnchanged",
        withAddress: true,
      },
    ];
    for (const { what, target, error, withAddress } of targets) {
      it(`an upgrade to ${what}: ${error}`, async function () {
        const fixture = await loadFixture(upgradableGroup);
        const address = target(fixture);
        const { group, proxy } = fixture;
        await expectRefused(group, () => proxy.upgradeTo(address), error, withAddress ? [address] : [], proxy);
      });
    }

    it("an upgrade by another account, the pending owner, or a contract the owner calls: ProxyUnauthorizedAccount", async function () {
      const { group, proxy, other, newOwner, caller, callerAddress, v2Address } = await loadFixture(upgradableGroup);
      await mined(group.transferOwnership(newOwner.address));
      for (const account of [other, newOwner]) {
        await expectRefused(
          group,
          () => proxy.connect(account).upgradeTo(v2Address),
          "ProxyUnauthorizedAccount",
          [account.address],
          proxy,
        );
      }
      const data = proxy.interface.encodeFunctionData("upgradeTo", [v2Address]);
      await expectRefused(
        group,
        () => caller.forward(GROUP_PROXY_ADDRESS, data),
        "ProxyUnauthorizedAccount",
        [callerAddress],
        proxy,
      );
    });

    it("an upgrade by another account of a locked group: ProxyUnauthorizedAccount, checked first", async function () {
      const { group, proxy, other, v2Address } = await loadFixture(upgradableGroup);
      await mined(group.lock());
      await expectRefused(
        group,
        () => proxy.connect(other).upgradeTo(v2Address),
        "ProxyUnauthorizedAccount",
        [other.address],
        proxy,
      );
    });

    it("an upgrade of a group nobody created yet, even by its future creator: ProxyUnauthorizedAccount", async function () {
      const { group, proxy, owner } = await loadFixture(genesisFixture);
      const { v2 } = await upgradeTargets(owner);
      await expectRefused(group, () => proxy.upgradeTo(v2), "ProxyUnauthorizedAccount", [owner.address], proxy);
      expect(await proxy.implementation()).to.equal(DEFAULT_MANAGEMENT);
      expect(await group.canExecute()).to.equal(false);
    });
  });

  // A group proxy passes the ERC-165 check: it answers supportsInterface through its own implementation.
  // As an implementation, though, it delegates into itself (its code reads the slot it was written to),
  // so every call recurses until it runs out of gas, upgradeTo included: the group is bricked for good.
  describe("a target that is itself a group proxy (a delegation loop)", function () {
    it("is refused by upgradeTo, whether it is the group's own proxy or another group's", async function () {
      const { group, proxy, owner, v2Address } = await loadFixture(upgradableGroup);
      const anotherGroup = await (
        await new FlexiblePrivacyGroupProxy__factory(owner).deploy(v2Address, "0x")
      ).getAddress();
      for (const target of [getAddress(GROUP_PROXY_ADDRESS), anotherGroup]) {
        await expectUnchanged(group, () =>
          expect(proxy.upgradeTo(target), target)
            .to.be.revertedWithCustomError(proxy, "ProxyImplementationUnusable")
            .withArgs(target),
        );
        expect(await group.canExecute(), "the group still answers").to.equal(true);
      }
    });

    it("is refused by the constructor", async function () {
      const { owner } = await loadFixture(upgradableGroup);
      const factory = new FlexiblePrivacyGroupProxy__factory(owner);
      await expect(factory.deploy(GROUP_PROXY_ADDRESS, "0x"))
        .to.be.revertedWithCustomError(factory, "ProxyImplementationUnusable")
        .withArgs(getAddress(GROUP_PROXY_ADDRESS));
    });
  });

  describe("a target under which the group could no longer execute", function () {
    it("is refused by upgradeTo: the next upgrade, which needs canExecute(), could never undo it", async function () {
      const { group, proxy, owner } = await loadFixture(upgradableGroup);
      const neverExecutes = await (await new NeverExecutes__factory(owner).deploy()).getAddress();
      await expectUnchanged(group, () =>
        expect(proxy.upgradeTo(neverExecutes))
          .to.be.revertedWithCustomError(proxy, "ProxyImplementationUnusable")
          .withArgs(neverExecutes),
      );
    });
  });

  describe("a target under which nobody could upgrade again", function () {
    it("is refused by upgradeTo, even though the group executes under it", async function () {
      const { group, proxy, owner } = await loadFixture(upgradableGroup);
      const neverUpgrades = await (await new NeverUpgrades__factory(owner).deploy()).getAddress();
      await expectUnchanged(group, () =>
        expect(proxy.upgradeTo(neverUpgrades))
          .to.be.revertedWithCustomError(proxy, "ProxyImplementationUnusable")
          .withArgs(neverUpgrades),
      );
    });
  });

  describe("a target that answers canUpgrade() and canExecute() with more than one word", function () {
    it("is refused by upgradeTo: a two-word answer is no bool, though its first word reads as true", async function () {
      const { group, proxy, owner } = await loadFixture(upgradableGroup);
      const longAnswers = await (await new LongAnswers__factory(owner).deploy()).getAddress();
      await expectUnchanged(group, () =>
        expect(proxy.upgradeTo(longAnswers))
          .to.be.revertedWithCustomError(proxy, "ProxyImplementationUnusable")
          .withArgs(longAnswers),
      );
    });
  });

  describe("a target that declares the interface but does not answer", function () {
    it("is refused by upgradeTo and by the constructor, since the owner could never upgrade again", async function () {
      const { group, proxy, owner } = await loadFixture(upgradableGroup);
      const silent = await (await new SilentManagement__factory(owner).deploy()).getAddress();
      await expectUnchanged(group, () =>
        expect(proxy.upgradeTo(silent))
          .to.be.revertedWithCustomError(proxy, "ProxyImplementationUnusable")
          .withArgs(silent),
      );
      const factory = new FlexiblePrivacyGroupProxy__factory(owner);
      await expect(factory.deploy(silent, "0x"))
        .to.be.revertedWithCustomError(factory, "ProxyImplementationUnusable")
        .withArgs(silent);
    });
  });

  describe("the proxy's constructor (an ordinary deployment)", function () {
    it("refuses address(0), an address without code and contracts that are not management contracts", async function () {
      const { owner, other, callerAddress, erc165OnlyAddress } = await loadFixture(upgradableGroup);
      const factory = new FlexiblePrivacyGroupProxy__factory(owner);
      await expect(factory.deploy(ZeroAddress, "0x")).to.be.revertedWithCustomError(
        factory,
        "ProxyImplementationZeroAddress",
      );
      await expect(factory.deploy(other.address, "0x"))
        .to.be.revertedWithCustomError(factory, "ProxyImplementationWithoutCode")
        .withArgs(other.address);
      for (const address of [callerAddress, erc165OnlyAddress]) {
        await expect(factory.deploy(address, "0x"))
          .to.be.revertedWithCustomError(factory, "ProxyImplementationNotManagement")
          .withArgs(address);
      }
    });

    it("accepts a management contract, and the new proxy starts as a fresh group", async function () {
      const { owner, other, v2Address } = await loadFixture(upgradableGroup);
      const proxy = await new FlexiblePrivacyGroupProxy__factory(owner).deploy(v2Address, "0x");
      const proxyAddress = await proxy.getAddress();
      expect(await proxy.implementation()).to.equal(v2Address);
      const fresh = FlexiblePrivacyGroupManagementV2__factory.connect(proxyAddress, other);
      expect(await fresh.canExecute()).to.equal(false);
      await expectParticipants(fresh, []);
      await expect(fresh.addParticipants([n0, n1]))
        .to.emit(fresh, "ParticipantAdded")
        .withArgs(true, n0, "");
      expect(await fresh.owner()).to.equal(other.address);
      expect(await fresh.isParticipant(n1)).to.equal(true);
    });
  });
});
