import { expect } from "chai";
import { network } from "hardhat";
import { FlexiblePrivacyGroup } from "flexible-privacy-groups";

const { ethers, privacy } = await network.create();

// The shared set-up: run once, then every test starts from its end (privacy.loadFixture restores it).
async function deployToken() {
  const [alice, bob, carol] = await privacy.signers();
  const group = await privacy.createGroup(alice, [bob]);
  const token = await group.deploy(await ethers.getContractFactory("Token"), 1000n);
  return { alice, bob, carol, group, token };
}

describe("Token, privately in a flexible privacy group (Hardhat 3)", function () {
  it("transfers, and the event carries the amount", async function () {
    const { alice, bob, token } = await privacy.loadFixture(deployToken);
    await expect(token.transfer(await bob.getAddress(), 100n))
      .to.emit(token, "Transfer")
      .withArgs(await alice.getAddress(), await bob.getAddress(), 100n);
    expect(await token.balanceOf(await bob.getAddress())).to.equal(100n);
  });

  it("reverts with InsufficientBalance and its arguments, and the negation fails", async function () {
    const { bob, token } = await privacy.loadFixture(deployToken);
    await expect(token.transfer(await bob.getAddress(), 5000n))
      .to.be.revertedWithCustomError(token, "InsufficientBalance")
      .withArgs(1000n, 5000n);
    let failed = false;
    try {
      await expect(token.transfer(await bob.getAddress(), 5000n)).not.to.be.revertedWithCustomError(token, "InsufficientBalance");
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);
  });

  it("is dropped while the group is locked, with the reason", async function () {
    const { bob, group, token } = await privacy.loadFixture(deployToken);
    await group.lock();
    await expect(token.transfer(await bob.getAddress(), 1n)).to.be.droppedPrivately("locked");
  });

  it("a node removed from the group sees no new state", async function () {
    const { bob, carol, group, token } = await privacy.loadFixture(deployToken);
    const Token = await ethers.getContractFactory("Token");
    await group.addMembers([carol.enclaveKey]);
    await group.removeMember(bob.enclaveKey);
    await (await token.transfer(await carol.getAddress(), 7n)).wait();
    const bobsView = FlexiblePrivacyGroup.at(bob, group.privacyGroupId).attach(Token, await token.getAddress());
    expect(await bobsView.balanceOf(await carol.getAddress())).to.equal(0n);
    const carolsView = FlexiblePrivacyGroup.at(carol, group.privacyGroupId).attach(Token, await token.getAddress());
    expect(await carolsView.balanceOf(await carol.getAddress())).to.equal(7n);
  });

  it("upgrades a group to the project's own management contract, keeping its members", async function () {
    const { alice, bob, group } = await privacy.loadFixture(deployToken);
    const management = await group.deployManagement(await ethers.getContractFactory("AuditedManagement"));
    expect(await group.implementation()).to.equal(await management.getAddress());
    expect(await group.members()).to.deep.equal([alice.enclaveKey, bob.enclaveKey]);
  });
});
