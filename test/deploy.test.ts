import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import hre from "hardhat";
import { type Interface, ZeroAddress, ZeroHash } from "ethers";
import { NACL_KEY_LENGTH, pseudoRandomKeys } from "../scripts/lib/keys";
import { FlexiblePrivacyGroupManagementV2__factory } from "../typechain-types";
import ManagementUpgradeModule from "../deploy/ManagementUpgrade";
import { coverageRunning, deployedFixture } from "./helpers/fixtures";
import { snapshot, stateChangingFunctions } from "./helpers/matrix";
import { decodedEvents, expectParticipants, mined } from "./helpers/model";

const [a, b, c, d] = pseudoRandomKeys("deployed", 0, 4, NACL_KEY_LENGTH);

describe("the suite deployed by Ignition (deploy/FlexiblePrivacyGroup.ts)", function () {
  it("deploys a proxy that points at the deployed management contract", async function () {
    const { proxy, implementation } = await loadFixture(deployedFixture);
    expect(await proxy.implementation()).to.equal(await implementation.getAddress());
  });

  it("deploys exactly the runtime code Hardhat compiles", async function () {
    if (coverageRunning()) this.skip(); // coverage deploys instrumented code on purpose
    const { proxy, implementation } = await loadFixture(deployedFixture);
    for (const [contract, name] of [
      [proxy, "FlexiblePrivacyGroupProxy"],
      [implementation, "FlexiblePrivacyGroupManagement"],
    ] as const) {
      const artifact = await hre.artifacts.readArtifact(name);
      expect(await hre.ethers.provider.getCode(await contract.getAddress()), name).to.equal(artifact.deployedBytecode);
    }
  });

  it("starts like genesis: no group, so nothing can execute and nobody owns or may upgrade it", async function () {
    const { group, owner } = await loadFixture(deployedFixture);
    expect(await group.canExecute()).to.equal(false);
    expect(await group.getVersion()).to.equal(ZeroHash);
    expect(await group.owner()).to.equal(ZeroAddress);
    expect(await group.pendingOwner()).to.equal(ZeroAddress);
    expect(await group.canUpgrade({ from: owner.address })).to.equal(false);
    await expectParticipants(group, []);
  });

  it("the first addParticipants creates the group, owned by its signer (the deployer), like genesis", async function () {
    const { group, proxy, owner } = await loadFixture(deployedFixture);
    const proxyAddress = await proxy.getAddress();
    const receipt = await mined(group.addParticipants([a, b, c]));
    expect(decodedEvents(receipt, group.interface, proxyAddress)).to.deep.equal(
      [a, b, c].map((key) => ({ name: "ParticipantAdded", args: [true, key, ""] })),
    );
    expect(await group.owner()).to.equal(owner.address);
    expect(await group.canExecute()).to.equal(true);
    const created = await group.getVersion();
    expect(created).to.not.equal(ZeroHash);

    await mined(group.lock());
    expect(await group.canExecute()).to.equal(false);
    await mined(group.addParticipants([d]));
    await mined(group.removeParticipant(a));
    await expectParticipants(group, [d, b, c]);
    expect(await group.getVersion()).to.not.equal(created);
  });

  it("a direct call to the deployed implementation changes nothing: every state-changing function is GroupCalledDirectly()", async function () {
    const { group, implementation, owner, other } = await loadFixture(deployedFixture);
    await mined(group.addParticipants([a, b])); // a live group behind the proxy changes nothing for the implementation
    const args: Record<string, unknown[]> = {
      "addParticipants(bytes[])": [[c]],
      "removeParticipant(bytes)": [a],
      "lock()": [],
      "unlock()": [],
      "transferOwnership(address)": [other.address],
      "acceptOwnership()": [],
      "cancelOwnershipTransfer()": [],
    };
    const iface: Interface = implementation.interface;
    const functions = stateChangingFunctions(iface);
    expect(functions.map((fn) => fn.format("sighash")).sort(), "a row for every state-changing function").to.deep.equal(
      Object.keys(args).sort(),
    );
    const implementationAddress = await implementation.getAddress();
    for (const fn of functions) {
      const data = iface.encodeFunctionData(fn, args[fn.format("sighash")]);
      await expect(owner.sendTransaction({ to: implementationAddress, data }))
        .to.be.revertedWithCustomError(implementation, "GroupCalledDirectly")
        .withArgs();
    }
    expect(await implementation.owner()).to.equal(ZeroAddress);
    expect(await implementation.canExecute()).to.equal(false);
    expect(await implementation.getVersion()).to.equal(ZeroHash);
    await expectParticipants(implementation, []);
    await expectParticipants(group, [a, b]);
  });

  it("deploy/ManagementUpgrade.ts deploys an implementation the deployed proxy upgrades to, keeping the group", async function () {
    const { group, proxy, owner } = await loadFixture(deployedFixture);
    await mined(group.addParticipants([a, b, c]));
    await mined(group.removeParticipant(a));
    const before = await snapshot(group);

    const { implementation } = await hre.ignition.deploy(ManagementUpgradeModule);
    const target = await implementation.getAddress();
    expect(await hre.ethers.provider.getCode(target)).to.equal(
      (await hre.artifacts.readArtifact("FlexiblePrivacyGroupManagementV2")).deployedBytecode,
    );
    await expect(proxy.upgradeTo(target)).to.emit(proxy, "Upgraded").withArgs(target);
    expect(await snapshot(group)).to.deep.equal({ ...before, implementation: target });
    const groupV2 = FlexiblePrivacyGroupManagementV2__factory.connect(await proxy.getAddress(), owner);
    expect(await groupV2.managementGeneration()).to.equal(2n);
    expect(await groupV2.isParticipant(c)).to.equal(true);
    expect(await groupV2.isParticipant(a)).to.equal(false);
  });
});
