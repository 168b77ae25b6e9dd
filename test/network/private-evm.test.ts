import { expect } from "chai";
import { Account, createAddressFromString, hexToBytes } from "@ethereumjs/util";
import { MerkleStateManager } from "@ethereumjs/statemanager";
import { applyGroupGenesis, privateCommon, type BlockContext } from "../../src/network/private-evm";
import { LiveStates, PrivateGroup, newTrieDatabase } from "../../src/network/private-group";
import { ScratchState } from "../../src/network/scratch-state";

/** Code that returns one 32-byte word: `body` leaves it on the stack; then MSTORE at 0 and RETURN it. */
const returning = (body: string) => "0x" + body + "5f52" + "60205ff3";
const CONTRACT = "0x00000000000000000000000000000000000000aa";
const OTHER = "0x00000000000000000000000000000000000000bb";

const blockA: BlockContext = { number: 5, timestamp: 100n, coinbase: "0x" + "11".repeat(20), gasLimit: 30_000_000n, mixHash: "0x" + "21".repeat(32) };
const blockB: BlockContext = { number: 6, timestamp: 112n, coinbase: "0x" + "12".repeat(20), gasLimit: 29_000_000n, mixHash: "0x" + "22".repeat(32) };
const blockHashes = (n: number) => "0x" + n.toString(16).padStart(64, "0");

async function groupWith(code: Record<string, string>): Promise<PrivateGroup> {
  const context = { common: privateCommon(1337), blockHash: blockHashes, db: newTrieDatabase(), live: new LiveStates() };
  const group = PrivateGroup.fresh("g", context);
  await group.stateManager.checkpoint();
  group.beginChange();
  await applyGroupGenesis(group.stateManager, Object.fromEntries(Object.entries(code).map(([address, hex]) => [address, { code: hex }])));
  await group.stateManager.commit();
  await group.recordSuccess({ pmtHash: "0x" + "01".repeat(32), blockNumber: 1, transactionIndex: 0 });
  return group;
}

const word = (output: string) => BigInt(output);

describe("network: private EVM", function () {
  describe("answers kept per state root", function () {
    // Each opcode that reads the block, with a block pair where it differs: its answer must follow the block.
    const readers: [string, string][] = [
      ["BLOCKHASH", "6001430340"], // BLOCKHASH(NUMBER - 1)
      ["COINBASE", "41"],
      ["TIMESTAMP", "42"],
      ["NUMBER", "43"],
      ["PREVRANDAO", "44"],
      ["GASLIMIT", "45"],
    ];
    for (const [name, body] of readers) {
      it(`answers a call that reads ${name} anew in each block`, async function () {
        const group = await groupWith({ [CONTRACT]: returning(body) });
        const first = await group.simulate("0x", blockA, CONTRACT);
        const second = await group.simulate("0x", blockB, CONTRACT);
        expect(first.ok && second.ok).to.equal(true);
        expect(second.output).to.not.equal(first.output);
        expect((await group.simulate("0x", blockA, CONTRACT)).output).to.equal(first.output);
      });
    }

    it("gives a state-only answer in any block, and a new one once the state has a new root", async function () {
      const group = await groupWith({ [CONTRACT]: returning("5f54") }); // SLOAD(0)
      expect(word((await group.simulate("0x", blockA, CONTRACT)).output)).to.equal(0n);
      expect(word((await group.simulate("0x", blockB, CONTRACT)).output)).to.equal(0n);

      await group.stateManager.checkpoint();
      group.beginChange();
      await group.stateManager.putStorage(createAddressFromString(CONTRACT), new Uint8Array(32), hexToBytes("0x07"));
      expect(word((await group.simulate("0x", blockA, CONTRACT)).output), "pending write").to.equal(7n);
      await group.stateManager.commit();
      await group.recordSuccess({ pmtHash: "0x" + "02".repeat(32), blockNumber: 2, transactionIndex: 0 });
      expect(word((await group.simulate("0x", blockB, CONTRACT)).output), "new root").to.equal(7n);
    });

    it("does not keep an answer given while writes were pending, once they are reverted", async function () {
      const group = await groupWith({ [CONTRACT]: returning("5f54") });
      await group.stateManager.checkpoint();
      group.beginChange();
      await group.stateManager.putStorage(createAddressFromString(CONTRACT), new Uint8Array(32), hexToBytes("0x09"));
      expect(word((await group.simulate("0x", blockA, CONTRACT)).output)).to.equal(9n);
      await group.stateManager.revert();
      group.endChange();
      expect(word((await group.simulate("0x", blockA, CONTRACT)).output)).to.equal(0n);
    });

    it("discards what a simulated call writes", async function () {
      // SSTORE(0, SLOAD(0) + 1), then return SLOAD(0): each call sees the untouched state and answers 1.
      const group = await groupWith({ [CONTRACT]: returning("5f546001015f555f54") });
      for (const block of [blockA, blockB]) expect(word((await group.simulate("0x", block, CONTRACT)).output)).to.equal(1n);
      const slot = await group.stateManager.getStorage(createAddressFromString(CONTRACT), new Uint8Array(32));
      expect(slot.length).to.equal(0);
    });
  });

  it("analyses the jump destinations of each code on its own, for codes of the same length", async function () {
    // Both jump to 6 and would return 42 from there. Only the first has a JUMPDEST at 6 (the second has PC):
    // the second must fail, not reuse the first code's analysis.
    const withJumpdest = "0x600656fefefe5b602a5f5260205ff3";
    const without = "0x600656fefefe58602a5f5260205ff3";
    const group = await groupWith({ [CONTRACT]: withJumpdest, [OTHER]: without });
    const first = await group.simulate("0x", blockA, CONTRACT);
    expect(first.ok).to.equal(true);
    expect(word(first.output)).to.equal(42n);
    expect((await group.simulate("0x", blockA, OTHER)).ok).to.equal(false);
  });
});

describe("network: scratch state", function () {
  const address = createAddressFromString(CONTRACT);
  const slot = new Uint8Array(32);

  async function baseWithSlot(value: string): Promise<MerkleStateManager> {
    const base = new MerkleStateManager({ common: privateCommon(1337) });
    await base.putAccount(address, new Account(3n, 10n));
    await base.putStorage(address, slot, hexToBytes(value as `0x${string}`));
    return base;
  }

  it("reads through to the state below and never writes to it", async function () {
    const base = await baseWithSlot("0x05");
    const scratch = new ScratchState(base);
    expect((await scratch.getStorage(address, slot))[0]).to.equal(5);
    await scratch.putStorage(address, slot, hexToBytes("0x06"));
    const account = (await scratch.getAccount(address))!;
    account.nonce = 99n; // a caller changing its copy changes nothing
    expect((await scratch.getAccount(address))!.nonce).to.equal(3n);
    await scratch.modifyAccountFields(address, { nonce: 4n });
    expect((await scratch.getAccount(address))!.nonce).to.equal(4n);
    expect((await scratch.getStorage(address, slot))[0]).to.equal(6);
    expect((await base.getStorage(address, slot))[0]).to.equal(5);
    expect((await base.getAccount(address))!.nonce).to.equal(3n);
    scratch.reset();
    expect((await scratch.getStorage(address, slot))[0]).to.equal(5);
  });

  it("keeps a committed checkpoint and drops a reverted one", async function () {
    const scratch = new ScratchState(await baseWithSlot("0x05"));
    await scratch.checkpoint();
    await scratch.putStorage(address, slot, hexToBytes("0x06"));
    await scratch.checkpoint();
    await scratch.putStorage(address, slot, hexToBytes("0x07"));
    await scratch.revert();
    expect((await scratch.getStorage(address, slot))[0]).to.equal(6);
    await scratch.commit();
    expect((await scratch.getStorage(address, slot))[0]).to.equal(6);
  });

  it("hides the storage below a cleared account, through commits, and forgets a deleted account", async function () {
    const scratch = new ScratchState(await baseWithSlot("0x05"));
    await scratch.checkpoint();
    await scratch.clearStorage(address);
    expect((await scratch.getStorage(address, slot)).length).to.equal(0);
    await scratch.commit();
    expect((await scratch.getStorage(address, slot)).length).to.equal(0);
    await scratch.putCode(address, hexToBytes("0x6001"));
    expect(await scratch.getCodeSize(address)).to.equal(2);
    await scratch.deleteAccount(address);
    expect(await scratch.getAccount(address)).to.equal(undefined);
    expect(await scratch.getCodeSize(address)).to.equal(0);
  });

  it("has no root or copy of its own", async function () {
    const scratch = new ScratchState(await baseWithSlot("0x05"));
    await expect(scratch.getStateRoot()).to.be.rejectedWith("no state root");
    expect(() => scratch.shallowCopy()).to.throw("cannot be copied");
  });
});
