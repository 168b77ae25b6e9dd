import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import hre from "hardhat";
import { type Interface, ZeroAddress, ZeroHash } from "ethers";
import { NACL_KEY_LENGTH, pseudoRandomKeys } from "../../src/hardhat/trial-keys";
import {
  FlexiblePrivacyGroupManagement__factory,
  FlexiblePrivacyGroupManagementV2__factory,
  FlexiblePrivacyGroupProxy__factory,
} from "../../typechain-types";
import ManagementUpgradeModule from "../../ignition/modules/ManagementUpgrade";
import { DEPLOYED_KEYS, coverageRunning, deployedFixture } from "../helpers/fixtures";
import { snapshot, stateChangingFunctions } from "../helpers/matrix";
import { decodedEvents, expectParticipants, mined } from "../helpers/model";
import { nextVersion } from "../helpers/version";

const [a, b, c] = DEPLOYED_KEYS;
const [d] = pseudoRandomKeys("deployed", 3, 1, NACL_KEY_LENGTH);

describe("the suite deployed by Ignition (ignition/modules/FlexiblePrivacyGroup.ts)", function () {
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

  it("creates the group in the deployment itself, owned by the deployer, so nobody can create it first", async function () {
    const { group, proxy, owner, other } = await loadFixture(deployedFixture);
    expect(await group.owner()).to.equal(owner.address);
    expect(await group.canExecute()).to.equal(true);
    await expectParticipants(group, [a, b, c]);
    // The creation's logs come from the transaction that deployed the proxy.
    const proxyAddress = await proxy.getAddress();
    const [first] = await hre.ethers.provider.getLogs({ address: proxyAddress, fromBlock: 0 });
    const deployment = await hre.ethers.provider.getTransactionReceipt(first.transactionHash);
    if (deployment === null) throw new Error("no deployment receipt");
    expect(deployment.contractAddress).to.equal(proxyAddress);
    // The initial call ran as addParticipants(keys) in the deployment's block.
    const block = await hre.ethers.provider.getBlock(deployment.blockHash);
    const creation = group.interface.encodeFunctionData("addParticipants", [[a, b, c]]);
    expect(await group.getVersion()).to.equal(nextVersion(ZeroHash, block?.parentHash ?? "", creation));
    expect(decodedEvents(deployment, group.interface, proxyAddress)).to.deep.equal(
      [a, b, c].map((key) => ({ name: "ParticipantAdded", args: [true, key, ""] })),
    );
    await expect(group.connect(other).addParticipants([d]))
      .to.be.revertedWithCustomError(group, "GroupUnauthorizedAccount")
      .withArgs(other.address);
  });

  it("then follows the genesis rules: lock, add, remove", async function () {
    const { group } = await loadFixture(deployedFixture);
    const created = await group.getVersion();
    await mined(group.lock());
    expect(await group.canExecute()).to.equal(false);
    await mined(group.addParticipants([d]));
    await mined(group.removeParticipant(a));
    await expectParticipants(group, [d, b, c]);
    expect(await group.getVersion()).to.not.equal(created);
  });

  it("a proxy deployed without an initial call starts like genesis, and its first addParticipants creates it", async function () {
    const { implementation, owner, other } = await loadFixture(deployedFixture);
    const fresh = await new FlexiblePrivacyGroupProxy__factory(owner).deploy(await implementation.getAddress(), "0x");
    const group = FlexiblePrivacyGroupManagement__factory.connect(await fresh.getAddress(), other);
    expect(await group.canExecute()).to.equal(false);
    expect(await group.getVersion()).to.equal(ZeroHash);
    expect(await group.owner()).to.equal(ZeroAddress);
    expect(await group.connect(owner).canUpgrade()).to.equal(false);
    await expectParticipants(group, []);
    await mined(group.addParticipants([a, b]));
    expect(await group.owner()).to.equal(other.address);
  });

  it("a deployment whose initial call fails is refused with the management contract's error", async function () {
    const { implementation, owner } = await loadFixture(deployedFixture);
    const factory = new FlexiblePrivacyGroupProxy__factory(owner);
    const emptyCreation = implementation.interface.encodeFunctionData("addParticipants", [[]]);
    await expect(factory.deploy(await implementation.getAddress(), emptyCreation)).to.be.revertedWithCustomError(
      implementation,
      "GroupEmptyParticipantList",
    );
  });

  it("a direct call to the deployed implementation changes nothing: every state-changing function is GroupCalledDirectly()", async function () {
    const { group, implementation, owner, other } = await loadFixture(deployedFixture);
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
    await expectParticipants(group, [a, b, c]);
  });

  it("ignition/modules/ManagementUpgrade.ts deploys an implementation the deployed proxy upgrades to, keeping the group", async function () {
    const { group, proxy, owner } = await loadFixture(deployedFixture);
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
