import { AssertionError, expect } from "chai";
import hre from "hardhat";
import { FlexiblePrivacyGroup, type PrivateSigner } from "../../src";
import { type PrivateCounter, PrivateCounter__factory } from "../../typechain-types";

/** The AssertionError an assertion fails with, or undefined when it passes. */
async function failureOf(assertion: PromiseLike<unknown>): Promise<Error | undefined> {
  try {
    await assertion;
    return undefined;
  } catch (error) {
    if (!(error instanceof AssertionError)) throw error;
    return error;
  }
}

describe("the Hardhat 2 plugin: hre.privacy and the matchers on private transactions", function () {
  let signers: PrivateSigner[];
  let group: FlexiblePrivacyGroup;
  let counter: PrivateCounter;

  before(async function () {
    signers = await hre.privacy.signers();
    group = await hre.privacy.createGroup(signers[0], [signers[1]]);
    counter = await group.deploy(new PrivateCounter__factory(), 1);
  });

  it("signers(): one per node of the default network, the same objects on every call, on free ports", async function () {
    expect(signers).to.have.length(3);
    expect(await hre.privacy.signers()).to.deep.equal(signers);
    const network = await hre.privacy.network();
    expect(network.nodes.map((node) => node.enclaveKeys[0])).to.deep.equal(signers.map((signer) => signer.enclaveKey));
    expect(network.nodes.map((node) => new URL(node.url).port)).to.not.include("20000");
  });

  it("createGroup(owner, members): the owner's and the members' keys, the owner owning it", async function () {
    expect(await group.members()).to.deep.equal([signers[0].enclaveKey, signers[1].enclaveKey]);
    expect(await group.owner()).to.equal(await signers[0].getAddress());
  });

  it("a success: .not.to.be.reverted passes and .to.be.reverted fails; emit(...).withArgs sees the private event", async function () {
    await expect(counter.increment()).to.emit(counter, "Counted").withArgs(await signers[0].getAddress(), 1n);
    expect(await counter.value()).to.equal(1n);
    const wrongly = await failureOf(expect(counter.limit()).to.be.reverted);
    expect(wrongly?.message).to.equal("Expected transaction to be reverted");
  });

  it("a custom-error revert: revertedWithCustomError(...).withArgs passes, and every negation fails (they passed before)", async function () {
    await expect(counter.increment()).to.be.revertedWithCustomError(counter, "CounterLimitReached").withArgs(2n, 1n);
    await expect(counter.increment()).to.be.reverted;
    const notCustom = await failureOf(expect(counter.increment()).not.to.be.revertedWithCustomError(counter, "CounterLimitReached"));
    expect(notCustom?.message).to.equal("Expected transaction NOT to be reverted with custom error 'CounterLimitReached', but it was");
    expect(await failureOf(expect(counter.increment()).not.to.be.reverted)).to.be.instanceOf(AssertionError);
    const wrongArgs = await failureOf(expect(counter.increment()).to.be.revertedWithCustomError(counter, "CounterLimitReached").withArgs(3n, 1n));
    expect(wrongArgs?.message).to.match(/Error in "CounterLimitReached" custom error/);
  });

  describe("while the group is locked", function () {
    before(async function () {
      await group.lock();
    });
    after(async function () {
      await group.unlock();
    });

    it("droppedPrivately() passes on a drop, and .not.to.be.reverted fails with the drop error instead of passing", async function () {
      await expect(counter.increment()).to.be.droppedPrivately();
      await expect(counter.increment()).to.be.droppedPrivately("locked");
      expect((await failureOf(expect(counter.increment()).to.be.droppedPrivately("notMember")))?.message).to.equal(
        'expected the private transaction to be dropped as "notMember", but it was dropped as "locked"',
      );
      let thrown: unknown;
      try {
        await expect(counter.increment()).not.to.be.reverted;
      } catch (error) {
        thrown = error;
      }
      expect((thrown as Error).message).to.match(/was dropped, not executed/);
    });
  });

  it("droppedPrivately() fails on a success and on a revert, naming what happened", async function () {
    const second = await group.deploy(new PrivateCounter__factory(), 1);
    expect((await failureOf(expect(second.increment()).to.be.droppedPrivately()))?.message).to.equal(
      "expected the private transaction to be dropped, but it succeeded",
    );
    expect((await failureOf(expect(second.increment()).to.be.droppedPrivately()))?.message).to.equal(
      "expected the private transaction to be dropped, but it reverted (CounterLimitReached)",
    );
    expect((await failureOf(expect(second.limit()).to.be.droppedPrivately()))?.message).to.match(/is not a private transaction/);
  });

  describe("privacy.loadFixture", function () {
    async function counterAtTwo(): Promise<{ group: FlexiblePrivacyGroup; counter: PrivateCounter }> {
      const fixtureGroup = await hre.privacy.createGroup(signers[0], [signers[2]]);
      const fixtureCounter = await fixtureGroup.deploy(new PrivateCounter__factory(), 10);
      await (await fixtureCounter.increment()).wait();
      await (await fixtureCounter.increment()).wait();
      return { group: fixtureGroup, counter: fixtureCounter };
    }

    it("runs the fixture once, then restores the whole network to its end: private state, the other node's view, and nonces", async function () {
      const first = await hre.privacy.loadFixture(counterAtTwo);
      await (await first.counter.increment()).wait();
      const other = await hre.privacy.createGroup(signers[1], [signers[2]]);
      expect(await first.counter.value()).to.equal(3n);

      const again = await hre.privacy.loadFixture(counterAtTwo);
      expect(again).to.equal(first);
      expect(await again.counter.value()).to.equal(2n);
      const atNode3 = FlexiblePrivacyGroup.at(signers[2], again.group.privacyGroupId).attach(new PrivateCounter__factory(), await again.counter.getAddress());
      expect(await atNode3.value()).to.equal(2n);
      expect(await other.members()).to.deep.equal([]);
      // The signers count their nonces again: the next transaction lands.
      await expect(again.counter.increment()).to.emit(again.counter, "Counted");
      expect(await again.counter.value()).to.equal(3n);
    });

    it("a fixture that throws names itself and leaves the network as it was before it ran", async function () {
      const before = await hre.privacy.network();
      const height = await before.nodes[0].provider.request({ method: "eth_blockNumber" });
      let created: FlexiblePrivacyGroup | undefined;
      async function failingFixture(): Promise<void> {
        created = await hre.privacy.createGroup(signers[0], [signers[1]]);
        throw new Error("the deployment ran out of gas");
      }
      let thrown: unknown;
      try {
        await hre.privacy.loadFixture(failingFixture);
      } catch (error) {
        thrown = error;
      }
      expect((thrown as Error).message).to.equal("privacy.loadFixture: the fixture failingFixture threw: the deployment ran out of gas");
      expect(await before.nodes[0].provider.request({ method: "eth_blockNumber" })).to.equal(height);
      expect(await created!.members()).to.deep.equal([]);
    });

    it("refuses an arrow function made in the test, which a later call could not find", async function () {
      let thrown: unknown;
      try {
        await hre.privacy.loadFixture(async () => undefined);
      } catch (error) {
        thrown = error;
      }
      expect((thrown as Error).message).to.match(/^privacy\.loadFixture: pass a named function declared once/);
    });
  });
});
