import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { type TransactionResponse, ZeroHash } from "ethers";
import hre from "hardhat";
import { NACL_KEY_LENGTH, pseudoRandomKeys } from "../../src/hardhat/trial-keys";
import { genesisFixture } from "../helpers/fixtures";
import { VERSION_BITS, latestBlockHash, nextVersion, versionAfter } from "../helpers/version";

const [a, b, c, d] = pseudoRandomKeys("version", 0, 4, NACL_KEY_LENGTH);

/** Runs `build` on a fork of the chain as it is now, returns what it returns, and rewinds the chain. */
async function onFork<T>(build: () => Promise<T>): Promise<T> {
  const id: unknown = await hre.network.provider.send("evm_snapshot", []);
  try {
    return await build();
  } finally {
    await hre.network.provider.send("evm_revert", [id]);
  }
}

/** Mines one empty block with the timestamp `secondsAhead` after the latest one: a different block hash. */
async function mineBlockAhead(secondsAhead: number): Promise<void> {
  const latest = await hre.ethers.provider.getBlock("latest");
  await hre.network.provider.send("evm_mine", [(latest?.timestamp ?? 0) + secondsAhead]);
}

describe("the version: bound to the chain, as Besu's is", function () {
  it("is keccak256(previous version, parent block hash, the change's calldata), cut to 216 bits, at create, add and remove", async function () {
    const { group } = await loadFixture(genesisFixture);
    const created = await versionAfter(ZeroHash, await group.addParticipants([a, b]));
    expect(await group.getVersion(), "creation").to.equal(created);
    await (await group.lock()).wait();
    const added = await versionAfter(created, await group.addParticipants([c]));
    expect(await group.getVersion(), "add").to.equal(added);
    const removed = await versionAfter(added, await group.removeParticipant(a));
    expect(await group.getVersion(), "remove").to.equal(removed);
    expect(new Set([ZeroHash, created, added, removed]).size).to.equal(4);
  });

  it("uses its full width: 216 bits, so a birthday search for two changes with one version takes about 2^108 hashes", async function () {
    const { group } = await loadFixture(genesisFixture);
    const versions: bigint[] = [];
    await (await group.addParticipants([a, b])).wait();
    versions.push(BigInt(await group.getVersion()));
    for (const key of [c, d]) {
      await (await group.lock()).wait();
      await (await group.addParticipants([key])).wait();
      versions.push(BigInt(await group.getVersion()));
    }
    // A hash cut to fewer bits leaves the top ones zero in every version; three versions with their
    // top byte all zero by chance has odds 2^-24.
    expect(versions.every((version) => version < 1n << VERSION_BITS)).to.equal(true);
    expect(versions.some((version) => version >> (VERSION_BITS - 8n) !== 0n)).to.equal(true);
  });

  it("differs between two forks that create the same group with the same call at the same height", async function () {
    const { group } = await loadFixture(genesisFixture);
    const createOnFork = (secondsAhead: number) =>
      onFork(async () => {
        await mineBlockAhead(secondsAhead);
        const receipt = await (await group.addParticipants([a, b])).wait();
        return { version: await group.getVersion(), height: receipt?.blockNumber, parent: await parentOf(receipt) };
      });
    const first = await createOnFork(10);
    const second = await createOnFork(20);
    expect(second.height, "the same height").to.equal(first.height);
    expect(second.parent, "another parent block").to.not.equal(first.parent);
    expect(second.version).to.not.equal(first.version);
  });

  it("differs between sibling blocks (one parent) that change the membership differently", async function () {
    const { group } = await loadFixture(genesisFixture);
    const createWith = (keys: string[]) =>
      onFork(async () => {
        const parent = await latestBlockHash();
        await (await group.addParticipants(keys)).wait();
        return { parent, version: await group.getVersion() };
      });
    const withC = await createWith([a, b, c]);
    const withD = await createWith([a, b, d]);
    expect(withD.parent, "the same parent block").to.equal(withC.parent);
    expect(withD.version).to.not.equal(withC.version);
  });

  it("changes with each change inside one block, even when a change repeats an earlier one's calldata", async function () {
    const { group, owner } = await loadFixture(genesisFixture);
    const parent = await latestBlockHash();
    await hre.network.provider.send("evm_setAutomine", [false]);
    const sent: TransactionResponse[] = [];
    try {
      let nonce = await owner.getNonce();
      const send = async (data: string) => {
        const tx = await owner.sendTransaction({
          to: await group.getAddress(),
          data,
          nonce: nonce++,
          gasLimit: 1_000_000,
        });
        sent.push(tx);
        return data;
      };
      const create = await send(group.interface.encodeFunctionData("addParticipants", [[a, b]]));
      await send(group.interface.encodeFunctionData("lock"));
      const addC = await send(group.interface.encodeFunctionData("addParticipants", [[c]]));
      const removeC = await send(group.interface.encodeFunctionData("removeParticipant", [c]));
      await send(group.interface.encodeFunctionData("lock"));
      await send(group.interface.encodeFunctionData("addParticipants", [[c]]));
      await hre.network.provider.send("evm_mine", []);

      const receipts = await Promise.all(sent.map((tx) => tx.wait()));
      expect(new Set(receipts.map((r) => r?.blockNumber)).size, "one block").to.equal(1);
      const v1 = nextVersion(ZeroHash, parent, create);
      const v2 = nextVersion(v1, parent, addC);
      const v3 = nextVersion(v2, parent, removeC);
      const v4 = nextVersion(v3, parent, addC); // the same calldata as v2's change, in the same block
      expect(new Set([v1, v2, v3, v4]).size).to.equal(4);
      expect(await group.getVersion()).to.equal(v4);
    } finally {
      await hre.network.provider.send("evm_setAutomine", [true]);
    }
  });

  it("is kept by lock, unlock, ownership changes and refused calls", async function () {
    const { group, newOwner } = await loadFixture(genesisFixture);
    await (await group.addParticipants([a, b])).wait();
    const created = await group.getVersion();
    await (await group.lock()).wait();
    await (await group.unlock()).wait();
    await expect(group.removeParticipant(c)).to.be.revertedWithCustomError(group, "ParticipantNotMember");
    await (await group.transferOwnership(newOwner.address)).wait();
    await (await group.connect(newOwner).acceptOwnership()).wait();
    await (await group.connect(newOwner).lock()).wait();
    await (await group.connect(newOwner).unlock()).wait();
    expect(await group.getVersion()).to.equal(created);
  });
});

async function parentOf(receipt: { blockHash: string } | null): Promise<string | undefined> {
  if (receipt === null) return undefined;
  return (await hre.ethers.provider.getBlock(receipt.blockHash))?.parentHash;
}
