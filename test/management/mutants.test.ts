import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { NACL_KEY_LENGTH, pseudoRandomKeys } from "../../scripts/lib/keys";
import { INITIAL_KEYS, createdGroupFixture, genesisFixture } from "../helpers/fixtures";
import { mined } from "../helpers/model";

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
});
