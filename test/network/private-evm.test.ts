import { expect } from "chai";
import { ZeroHash, getCreate2Address, keccak256 } from "ethers";
import { Account, createAddressFromString, hexToBytes } from "@ethereumjs/util";
import { MerkleStateManager } from "@ethereumjs/statemanager";
import { applyGroupGenesis, privateCommon, type BlockContext } from "../../src/network/state/evm";
import { EMPTY_TRIE_ROOT, PrivateGroup, newPrivateStateContext } from "../../src/network/state/group";
import { ScratchState } from "../../src/network/state/scratch-state";

/** Code that returns one 32-byte word: `body` leaves it on the stack; then MSTORE at 0 and RETURN it. */
const returning = (body: string) => "0x" + body + "5f52" + "60205ff3";
const CONTRACT = "0x00000000000000000000000000000000000000aa";
const OTHER = "0x00000000000000000000000000000000000000bb";

const blockA: BlockContext = { number: 5, timestamp: 100n, coinbase: "0x" + "11".repeat(20), gasLimit: 30_000_000n, mixHash: "0x" + "21".repeat(32) };
const blockB: BlockContext = { number: 6, timestamp: 112n, coinbase: "0x" + "12".repeat(20), gasLimit: 29_000_000n, mixHash: "0x" + "22".repeat(32) };
const blockHashes = (n: number) => "0x" + n.toString(16).padStart(64, "0");

async function groupWith(
  code: Record<string, string>,
  context = newPrivateStateContext(privateCommon(1337), blockHashes),
  id = "g",
): Promise<PrivateGroup> {
  const group = PrivateGroup.fresh(id, context);
  await group.stateManager.checkpoint();
  await applyGroupGenesis(group.stateManager, Object.fromEntries(Object.entries(code).map(([address, hex]) => [address, { code: hex }])));
  await group.stateManager.commit();
  await group.recordSuccess({ markerHash: "0x" + "01".repeat(32), blockNumber: 1, transactionIndex: 0 });
  return group;
}

const word = (output: string) => BigInt(output);

describe("network: private EVM", function () {
  describe("answers kept while the state they read holds", function () {
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

    it("answers each group from its own state, although the network's groups share one simulator", async function () {
      const context = newPrivateStateContext(privateCommon(1337), blockHashes);
      const groups = [await groupWith({ [CONTRACT]: returning("5f54") }, context, "a"), await groupWith({ [CONTRACT]: returning("5f54") }, context, "b")];
      for (const [i, group] of groups.entries()) {
        await group.stateManager.checkpoint();
        await group.stateManager.putStorage(createAddressFromString(CONTRACT), new Uint8Array(32), hexToBytes(i === 0 ? "0x0a" : "0x0b"));
        await group.stateManager.commit();
      }
      // Alternating, twice: the second round reruns nothing (answers hold), the first ran each on its own state.
      for (let round = 0; round < 2; round++) {
        expect(word((await groups[0].simulate("0x", blockA, CONTRACT)).output)).to.equal(10n);
        expect(word((await groups[1].simulate("0x", blockA, CONTRACT)).output)).to.equal(11n);
      }
      expect(groups.map((group) => group.simulationsRun)).to.deep.equal([1, 1]);
    });

    it("gives a state-only answer in any block, and a new one once the state has a new root", async function () {
      const group = await groupWith({ [CONTRACT]: returning("5f54") }); // SLOAD(0)
      expect(word((await group.simulate("0x", blockA, CONTRACT)).output)).to.equal(0n);
      expect(word((await group.simulate("0x", blockB, CONTRACT)).output)).to.equal(0n);

      await group.stateManager.checkpoint();
      await group.stateManager.putStorage(createAddressFromString(CONTRACT), new Uint8Array(32), hexToBytes("0x07"));
      expect(word((await group.simulate("0x", blockA, CONTRACT)).output), "pending write").to.equal(7n);
      await group.stateManager.commit();
      await group.recordSuccess({ markerHash: "0x" + "02".repeat(32), blockNumber: 2, transactionIndex: 0 });
      expect(word((await group.simulate("0x", blockB, CONTRACT)).output), "new root").to.equal(7n);
    });

    it("does not keep an answer given while writes were pending, once they are reverted", async function () {
      const group = await groupWith({ [CONTRACT]: returning("5f54") });
      await group.stateManager.checkpoint();
      await group.stateManager.putStorage(createAddressFromString(CONTRACT), new Uint8Array(32), hexToBytes("0x09"));
      expect(word((await group.simulate("0x", blockA, CONTRACT)).output)).to.equal(9n);
      await group.stateManager.revert();
      expect(word((await group.simulate("0x", blockA, CONTRACT)).output)).to.equal(0n);
    });

    it("reuses an answer after writes it did not read, in any block", async function () {
      const group = await groupWith({ [CONTRACT]: returning("5f54") }); // SLOAD(0)
      const contract = createAddressFromString(CONTRACT);
      const slot1 = hexToBytes(("0x" + "01".padStart(64, "0")) as `0x${string}`);
      await group.stateManager.putStorage(contract, slot1, hexToBytes("0x05"));
      expect(word((await group.simulate("0x", blockA, CONTRACT)).output)).to.equal(0n);
      await group.stateManager.putStorage(contract, slot1, hexToBytes("0x06"));
      await group.stateManager.putAccount(createAddressFromString(OTHER), new Account(1n, 2n));
      expect(word((await group.simulate("0x", blockB, CONTRACT)).output)).to.equal(0n);
      expect(group.simulationsRun).to.equal(1);
      await group.stateManager.putStorage(contract, new Uint8Array(32), hexToBytes("0x03"));
      expect(word((await group.simulate("0x", blockB, CONTRACT)).output)).to.equal(3n);
      expect(group.simulationsRun).to.equal(2);
    });

    it("never reuses an answer that read its block, even in the same block", async function () {
      const group = await groupWith({ [CONTRACT]: returning("43") }); // NUMBER
      await group.simulate("0x", blockA, CONTRACT);
      await group.simulate("0x", blockA, CONTRACT);
      expect(group.simulationsRun).to.equal(2);
    });

    // What the EVM sees of another account, beside storage: each change must give a new answer.
    const other = createAddressFromString(OTHER);
    const accountReads: [string, string, (group: PrivateGroup) => Promise<void>][] = [
      ["BALANCE", "31", (group) => group.stateManager.modifyAccountFields(other, { balance: 7n })],
      ["EXTCODEHASH (an empty account gaining a nonce)", "3f", (group) => group.stateManager.modifyAccountFields(other, { nonce: 1n })],
      ["EXTCODESIZE", "3b", (group) => group.stateManager.putCode(other, hexToBytes("0x00"))],
    ];
    for (const [name, opcode, change] of accountReads) {
      it(`answers anew after a change that ${name} sees`, async function () {
        const group = await groupWith({ [CONTRACT]: returning("73" + OTHER.slice(2) + opcode), [OTHER]: "0x" });
        const before = await group.simulate("0x", blockA, CONTRACT);
        await change(group);
        const after = await group.simulate("0x", blockA, CONTRACT);
        expect(after.output).to.not.equal(before.output);
        expect(group.simulationsRun).to.equal(2);
      });
    }

    it("answers anew when an account it creates onto gains storage (EIP-7610)", async function () {
      // CREATE2 of empty code with salt 0: fails once the target has storage, even with no code or nonce.
      const target = getCreate2Address(CONTRACT, ZeroHash, keccak256("0x"));
      const group = await groupWith({ [CONTRACT]: returning("5f5f5f5ff5"), [target]: "0x" });
      expect(BigInt((await group.simulate("0x", blockA, CONTRACT)).output)).to.equal(BigInt(target));
      await group.stateManager.putStorage(createAddressFromString(target), new Uint8Array(32), hexToBytes("0x01"));
      expect(word((await group.simulate("0x", blockA, CONTRACT)).output)).to.equal(0n);
    });

    it("answers anew when the called code changes", async function () {
      const group = await groupWith({ [CONTRACT]: returning("6001") }); // PUSH1 1
      expect(word((await group.simulate("0x", blockA, CONTRACT)).output)).to.equal(1n);
      await group.stateManager.putCode(createAddressFromString(CONTRACT), hexToBytes(returning("6002") as `0x${string}`));
      expect(word((await group.simulate("0x", blockA, CONTRACT)).output)).to.equal(2n);
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

describe("network: private group history", function () {
  it("keeps successes in chain order and each block's last root, whatever order they are recorded in", async function () {
    const group = await groupWith({ [CONTRACT]: "0x00" }); // its genesis success: block 1
    const genesisRoot = group.headRoot;
    const record = async (value: string, blockNumber: number, transactionIndex: number) => {
      await group.stateManager.putStorage(createAddressFromString(CONTRACT), new Uint8Array(32), hexToBytes(value as `0x${string}`));
      return (await group.recordSuccess({ markerHash: value.padEnd(66, "0"), blockNumber, transactionIndex })).stateRoot;
    };
    const root5Second = await record("0x01", 5, 1);
    const root3 = await record("0x02", 3, 0);
    const root5 = await record("0x03", 5, 0);
    expect(group.entries.map((entry) => [entry.blockNumber, entry.transactionIndex])).to.deep.equal([[1, 0], [3, 0], [5, 0], [5, 1]]);
    const roots = [0, 1, 2, 3, 4, 5, 99].map((blockNumber) => group.rootAt(blockNumber));
    expect(roots).to.deep.equal([EMPTY_TRIE_ROOT, genesisRoot, genesisRoot, root3, root3, root5, root5]);
    expect(new Set([genesisRoot, root3, root5]).size).to.equal(3);
    // The state a transaction started from (priv_traceTransaction re-runs it there).
    const before = [[1, 0], [3, 0], [3, 1], [5, 0], [5, 1], [5, 2]].map(([block, index]) => group.stateRootBefore(block, index));
    expect(before).to.deep.equal([undefined, genesisRoot, root3, root3, root5, root5Second]);
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
