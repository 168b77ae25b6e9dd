import { expect } from "chai";
import { type DropEvidence, type GroupStateReader, diagnoseDrop, sameLengthKeys } from "../../src/core/drop";

// The precompile's checks on a group's state given block by block: what each client reads with priv_call.
// The clients' tests run the same diagnosis against the network (test/besu/drop.test.ts, test/viem).
interface State {
  canExecute: boolean | null;
  version: string | null;
  members: string[] | null;
}
const V1 = "0x" + "11".repeat(32);
const V2 = "0x" + "22".repeat(32);
const ME = "0xaa";
const OTHER = "0xbb";

function reader(states: Record<number, State>): GroupStateReader {
  return {
    canExecute: async (block) => states[block].canExecute,
    getVersion: async (block) => states[block].version,
    getParticipants: async (block) => states[block].members,
  };
}
const open: State = { canExecute: true, version: V1, members: [ME, OTHER] };
const call: DropEvidence = { privateFrom: ME, toGroupProxy: false, addedKeys: null, markerBlock: 10, sentAtBlock: 8 };

describe("core: why the precompile dropped a transaction, from the group's state", function () {
  it("locked: a call while the group is locked, at the block before or at the marker's", async function () {
    expect(await diagnoseDrop(reader({ 8: open, 9: { ...open, canExecute: false }, 10: open }), call)).to.equal("locked");
    expect(await diagnoseDrop(reader({ 8: open, 9: open, 10: { ...open, canExecute: null } }), call)).to.equal("locked");
  });

  it("unlockedForAdd: an add while the group can execute; an add while locked passes that check", async function () {
    const add = { ...call, toGroupProxy: true, addedKeys: [OTHER] };
    expect(await diagnoseDrop(reader({ 8: open, 9: open, 10: open }), add)).to.equal("unlockedForAdd");
    const locked = { ...open, canExecute: false };
    expect(await diagnoseDrop(reader({ 8: locked, 9: locked, 10: locked }), add)).to.equal("unknown");
  });

  it("versionChanged: the version at the marker differs from the one when it was sent; unknown head skips the check", async function () {
    const changed = { ...open, version: V2 };
    expect(await diagnoseDrop(reader({ 8: open, 9: changed, 10: changed }), call)).to.equal("versionChanged");
    expect(await diagnoseDrop(reader({ 8: { ...open, version: null }, 9: open, 10: open }), call)).to.equal("versionChanged");
    expect(await diagnoseDrop(reader({ 9: changed, 10: changed }), { ...call, sentAtBlock: null })).to.equal("unknown");
  });

  it("notMember: privateFrom not among the members (compared as hex, in any case)", async function () {
    const without = { ...open, members: [OTHER] };
    expect(await diagnoseDrop(reader({ 8: without, 9: without, 10: without }), call)).to.equal("notMember");
    const upper = { ...open, members: [ME.toUpperCase().replace("0X", "0x"), OTHER] };
    expect(await diagnoseDrop(reader({ 8: upper, 9: upper, 10: upper }), call)).to.equal("unknown");
  });

  it("a group's creation: no members yet, the keys it adds count; no state at all reads as locked", async function () {
    const none: State = { canExecute: false, version: null, members: null };
    const creation = { ...call, toGroupProxy: true, addedKeys: [ME, OTHER] };
    expect(await diagnoseDrop(reader({ 8: none, 9: none, 10: none }), creation)).to.equal("unknown");
    expect(await diagnoseDrop(reader({ 8: none, 9: none, 10: none }), { ...creation, addedKeys: [OTHER] })).to.equal("notMember");
  });

  it("the keys of an add as Besu decodes them: none when their lengths differ", function () {
    expect(sameLengthKeys(["0xaa", "0xbb"])).to.deep.equal(["0xaa", "0xbb"]);
    expect(sameLengthKeys(["0xaa", "0xbbbb"])).to.deep.equal([]);
    expect(sameLengthKeys([])).to.deep.equal([]);
  });
});
