import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import hre from "hardhat";
import { MANAGEMENT_ADDRESS, PROXY_ADDRESS } from "../scripts/lib/addresses";
import type { Interface } from "ethers";
import { IFlexiblePrivacyGroupManagement__factory, IGroupOwnership__factory } from "../typechain-types";
import { coverageRunning, genesisFixture } from "./helpers/fixtures";

/** ERC-165 interface id: the XOR of the interface's function selectors. */
function interfaceId(abi: Interface): string {
  let id = 0n;
  abi.forEachFunction((fn) => (id ^= BigInt(fn.selector)));
  return hre.ethers.toBeHex(id, 4);
}

describe("genesis injection", function () {
  it("runs from Besu's injection alone: a fresh group cannot execute and has no members", async function () {
    const { group } = await loadFixture(genesisFixture);
    expect(await group.canExecute()).to.equal(false);
    expect(await group.getParticipants()).to.deep.equal([]);
    expect(await group.getVersion()).to.equal(hre.ethers.ZeroHash);
    expect(await group.owner()).to.equal(hre.ethers.ZeroAddress);
  });

  it("creates the group on the first addParticipants and makes its signer the owner", async function () {
    const { group, owner } = await loadFixture(genesisFixture);
    const keys = [hre.ethers.hexlify(hre.ethers.randomBytes(32))];
    await expect(group.addParticipants(keys)).to.emit(group, "ParticipantAdded").withArgs(true, keys[0], "");
    expect(await group.owner()).to.equal(owner.address);
    expect(await group.canExecute()).to.equal(true);
    expect(await group.getParticipants()).to.deep.equal(keys);
  });

  it("declares the management, ownership and ERC-165 interfaces through ERC-165, and no other", async function () {
    const { group } = await loadFixture(genesisFixture);
    for (const declared of [
      interfaceId(IFlexiblePrivacyGroupManagement__factory.createInterface()),
      interfaceId(IGroupOwnership__factory.createInterface()),
      "0x01ffc9a7",
    ]) {
      expect(await group.supportsInterface(declared), declared).to.equal(true);
    }
    for (const undeclared of ["0xffffffff", "0x00000000", "0x3659cfe6"]) {
      expect(await group.supportsInterface(undeclared), undeclared).to.equal(false);
    }
  });

  it("the proxy points at the management address", async function () {
    const { proxy } = await loadFixture(genesisFixture);
    expect(await proxy.implementation()).to.equal(hre.ethers.getAddress(MANAGEMENT_ADDRESS));
    expect(PROXY_ADDRESS).to.equal(hre.ethers.getAddress(PROXY_ADDRESS).toLowerCase());
  });

  it("the exported runtime code is what Hardhat compiles, so normal deployments test the same bytes", async function () {
    if (coverageRunning()) this.skip(); // coverage compiles instrumented code on purpose
    await loadFixture(genesisFixture);
    for (const [address, name] of [
      [MANAGEMENT_ADDRESS, "FlexiblePrivacyGroupManagement"],
      [PROXY_ADDRESS, "FlexiblePrivacyGroupProxy"],
    ]) {
      const artifact = await hre.artifacts.readArtifact(name);
      const injected = await hre.ethers.provider.getCode(address);
      // Hashes keep a failure readable; `npm run export` after a contract change fixes it.
      expect(hre.ethers.keccak256(injected), `${name} in genesis/alloc.json`).to.equal(
        hre.ethers.keccak256(artifact.deployedBytecode),
      );
    }
  });
});
