import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import hre from "hardhat";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../../src/core/constants";
import { currentBlob } from "../../src/hardhat/build";
import { driftLine, genesisFiles, writeGenesis } from "../../src/hardhat/export";
import type { Interface } from "ethers";
import { IFlexiblePrivacyGroupManagement__factory, IGroupOwnership__factory } from "../../typechain-types";
import { coverageRunning, genesisFixture } from "../helpers/fixtures";

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
    expect(await proxy.implementation()).to.equal(hre.ethers.getAddress(GROUP_MANAGEMENT_ADDRESS));
    expect(GROUP_PROXY_ADDRESS).to.equal(hre.ethers.getAddress(GROUP_PROXY_ADDRESS).toLowerCase());
  });

  it("the blob built from source is what Hardhat compiles, so normal deployments test the same bytes", async function () {
    if (coverageRunning()) this.skip(); // coverage compiles instrumented code on purpose
    await loadFixture(genesisFixture);
    for (const [address, name] of [
      [GROUP_MANAGEMENT_ADDRESS, "FlexiblePrivacyGroupManagement"],
      [GROUP_PROXY_ADDRESS, "FlexiblePrivacyGroupProxy"],
    ]) {
      const artifact = await hre.artifacts.readArtifact(name);
      const injected = await hre.ethers.provider.getCode(address);
      // Hashes keep a failure readable.
      expect(hre.ethers.keccak256(injected), `${name} built from source`).to.equal(
        hre.ethers.keccak256(artifact.deployedBytecode),
      );
    }
  });
});

describe("the committed genesis/", function () {
  // The first use compiles the blob from source (a few seconds); later uses share that build.
  this.timeout(300_000);

  it("is the export of the current source (else: run `npm run export`)", function () {
    const problem = driftLine(genesisFiles(currentBlob()));
    if (problem !== undefined) expect.fail(problem);
  });

  describe("names each file that is off, in one line that says to run `npm run export`", function () {
    let dir: string;
    let files: Record<string, string>;

    beforeEach(function () {
      files = genesisFiles(currentBlob());
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "genesis-"));
      writeGenesis(files, dir); // an up-to-date export, whatever the committed genesis/ holds
    });
    afterEach(function () {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const edit = (name: string, change: (text: string) => string) =>
      fs.writeFileSync(path.join(dir, name), change(fs.readFileSync(path.join(dir, name), "utf8")));

    it("a flipped code byte in alloc.json", function () {
      edit("alloc.json", (text) => text.replace(/"code": "0x60/, '"code": "0x61'));
      expect(driftLine(files, dir)).to.equal(
        "genesis/alloc.json differs from the build of the current source: run `npm run export` and commit genesis/",
      );
    });

    it("an alloc.json that is not JSON, and a missing runtime file", function () {
      edit("alloc.json", (text) => text.slice(0, 77));
      fs.rmSync(path.join(dir, "FlexiblePrivacyGroupProxy.runtime.hex"));
      expect(driftLine(files, dir)).to.equal(
        "genesis/alloc.json is not valid JSON; genesis/FlexiblePrivacyGroupProxy.runtime.hex is missing: " +
          "run `npm run export` and commit genesis/",
      );
    });

    it("a stray file, which the export removes", function () {
      fs.writeFileSync(path.join(dir, "notes.txt"), "hand-written\n");
      expect(driftLine(files, dir)).to.equal(
        "genesis/notes.txt is not made by the export (the export removes it): run `npm run export` and commit genesis/",
      );
    });

    it("nothing for a checkout with CRLF line ends (Git for Windows' default)", function () {
      for (const name of fs.readdirSync(dir)) edit(name, (text) => text.replace(/\n/g, "\r\n"));
      expect(driftLine(files, dir)).to.equal(undefined);
    });
  });
});
