import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../../src/core/constants";
import { FlexiblePrivacyGroupManagement__factory, FlexiblePrivacyGroupProxy__factory } from "../../typechain-types";
import { NACL_KEY_LENGTH, pseudoRandomKeys } from "../../src/hardhat/trial-keys";
import { INITIAL_KEYS, createdGroupFixture, genesisFixture } from "../helpers/fixtures";
import { impersonate } from "../helpers/matrix";
import { expectParticipants, mined } from "../helpers/model";

/**
 * Behaviour that the other suites leave implicit, each test written to kill mutants that survived them
 * (`npm run mutation`; reports/mutation/README.md names the mutants each test kills).
 */
const NEW_KEYS = pseudoRandomKeys("mutants", 0, 2, NACL_KEY_LENGTH);

describe("mutants: what the other suites left implicit", function () {
  describe("return values of Besu's interface", function () {
    it("addParticipants returns true when it creates the group and when it adds to it", async function () {
      const { group } = await loadFixture(genesisFixture);
      expect(await group.addParticipants.staticCall(INITIAL_KEYS), "creation").to.equal(true);
      await mined(group.addParticipants(INITIAL_KEYS));
      await mined(group.lock());
      expect(await group.addParticipants.staticCall([NEW_KEYS[0]]), "a later add").to.equal(true);
    });

    it("removeParticipant returns true, for the last key and for one that another key replaces", async function () {
      const { group } = await loadFixture(createdGroupFixture);
      expect(await group.removeParticipant.staticCall(INITIAL_KEYS[2]), "the last key").to.equal(true);
      expect(await group.removeParticipant.staticCall(INITIAL_KEYS[0]), "the first key").to.equal(true);
    });
  });

  // Tessera keys are 32 or 91 bytes, but the contract takes any one length up to 1,024: a length one byte
  // past a word boundary needs one more storage word, which NaCl and EC keys never show.
  for (const length of [1, 33, 65]) {
    it(`stores, returns and removes keys of ${length} byte${length === 1 ? "" : "s"} (one byte into a storage word) canonically`, async function () {
      const { group } = await loadFixture(genesisFixture);
      const [a, b, c, d] = pseudoRandomKeys(`mutants-${length}`, 0, 4, length);
      await mined(group.addParticipants([a, b, c]));
      await expectParticipants(group, [a, b, c], "created");
      await mined(group.lock());
      await mined(group.addParticipants([d]));
      await expectParticipants(group, [a, b, c, d], "added");
      await mined(group.removeParticipant(a));
      await expectParticipants(group, [d, b, c], "the last key took the removed key's place");
      await mined(group.removeParticipant(c));
      await expectParticipants(group, [d, b], "the last key dropped");
    });
  }

  it("names the contract as no signer when address(0) creates through it (the signer check reads msg.sender)", async function () {
    const { group, caller } = await loadFixture(genesisFixture);
    const zero = await impersonate(ZeroAddress);
    const data = group.interface.encodeFunctionData("addParticipants", [INITIAL_KEYS]);
    await expect(caller.connect(zero).forward(GROUP_PROXY_ADDRESS, data))
      .to.be.revertedWithCustomError(group, "GroupOwnerNotSigner")
      .withArgs(await caller.getAddress());
    expect(await group.owner()).to.equal(ZeroAddress);
  });

  it("a proxy deployed with an initial addParticipants is created in the deployment, owned by the deployer", async function () {
    const { group, owner } = await loadFixture(genesisFixture);
    const initialCall = group.interface.encodeFunctionData("addParticipants", [NEW_KEYS]);
    const proxy = await new FlexiblePrivacyGroupProxy__factory(owner).deploy(GROUP_MANAGEMENT_ADDRESS, initialCall);
    const deployed = FlexiblePrivacyGroupManagement__factory.connect(await proxy.getAddress(), owner);
    expect(await deployed.owner()).to.equal(owner.address);
    await expectParticipants(deployed, NEW_KEYS);
    expect(await deployed.canExecute()).to.equal(true);
  });

  it("a proxy whose initial call is a single byte refuses to deploy, naming the unknown function", async function () {
    const { group, owner } = await loadFixture(genesisFixture);
    const factory = new FlexiblePrivacyGroupProxy__factory(owner);
    await expect(factory.deploy(GROUP_MANAGEMENT_ADDRESS, "0x01"))
      .to.be.revertedWithCustomError(group, "GroupUnknownFunction")
      .withArgs("0x01000000");
  });
});
