/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS test, as a Hardhat 2 project writes it */
const { expect } = require("chai");
const { ethers, privacy } = require("hardhat");

describe("a group upgraded to the project's own management contract", function () {
  it("keeps its members and takes the owner's audit note", async function () {
    const [alice, bob] = await privacy.signers();
    const group = await privacy.createGroup(alice, [bob]);
    // Deploys it privately in the group, then points the group's proxy at it.
    const management = await group.deployManagement(await ethers.getContractFactory("AuditedManagement"));
    expect(await group.implementation()).to.equal(await management.getAddress());
    expect(await group.members()).to.deep.equal([alice.enclaveKey, bob.enclaveKey]);
    const audited = group.attach(await ethers.getContractFactory("AuditedManagement"), "0x000000000000000000000000000000000000007c");
    await (await audited.setAuditNote(ethers.encodeBytes32String("reviewed"))).wait();
    expect(ethers.decodeBytes32String(await audited.auditNote())).to.equal("reviewed");
  });
});
