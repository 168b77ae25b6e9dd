import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { AbstractSigner, type Provider, type TransactionRequest, type TypedDataDomain, type TypedDataField } from "ethers";
import hre from "hardhat";
import { EC_KEY_LENGTH, NACL_KEY_LENGTH, pseudoRandomKey } from "../../src/hardhat/trial-keys";
import {
  AddMembersError,
  BesuOnlyError,
  FlexiblePrivacyGroup,
  PrivateTransactionRevertedError,
  decideAccess,
  decodeRevert,
} from "../../src";
import { genesisFixture } from "../helpers/fixtures";

const base64Key = (i: number, length = NACL_KEY_LENGTH) =>
  Buffer.from(hre.ethers.getBytes(pseudoRandomKey("client", i, length))).toString("base64");

/** A signer that refuses to send one chosen function, like a node that drops that transaction. */
class RefusingSigner extends AbstractSigner {
  constructor(
    private readonly inner: AbstractSigner,
    private readonly refusedSelector: string,
  ) {
    super(inner.provider);
  }
  getAddress(): Promise<string> {
    return this.inner.getAddress();
  }
  connect(provider: Provider | null): RefusingSigner {
    return new RefusingSigner(this.inner.connect(provider), this.refusedSelector);
  }
  signTransaction(tx: TransactionRequest): Promise<string> {
    return this.inner.signTransaction(tx);
  }
  signMessage(message: string | Uint8Array): Promise<string> {
    return this.inner.signMessage(message);
  }
  signTypedData(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, value: Record<string, unknown>) {
    return this.inner.signTypedData(domain, types, value);
  }
  async sendTransaction(tx: TransactionRequest) {
    if (typeof tx.data === "string" && tx.data.startsWith(this.refusedSelector)) throw new Error("node unreachable");
    return this.inner.sendTransaction(tx);
  }
}

async function clientFixture() {
  const fixture = await loadFixture(genesisFixture);
  const client = await FlexiblePrivacyGroup.createOnPublicChain(fixture.owner, [base64Key(0), base64Key(1)]);
  return { ...fixture, client };
}

describe("FlexiblePrivacyGroup on an ordinary EVM chain", function () {
  it("creates a group from base64 keys and reads them back as base64, in order", async function () {
    const { client, owner } = await loadFixture(clientFixture);
    expect(await client.members()).to.deep.equal([base64Key(0), base64Key(1)]);
    expect(await client.owner()).to.equal(owner.address);
    expect(await client.canExecute()).to.equal(true);
  });

  it("adds members by locking then adding, leaving the group unlocked", async function () {
    const { client } = await loadFixture(clientFixture);
    const versionBefore = await client.version();
    await client.addMembers([base64Key(2)]);
    expect(await client.members()).to.deep.equal([base64Key(0), base64Key(1), base64Key(2)]);
    expect(await client.canExecute()).to.equal(true);
    expect(await client.version()).to.not.equal(versionBefore);
  });

  it("works with 91-byte EC keys", async function () {
    const { owner } = await loadFixture(genesisFixture);
    const keys = [base64Key(0, EC_KEY_LENGTH), base64Key(1, EC_KEY_LENGTH)];
    const client = await FlexiblePrivacyGroup.createOnPublicChain(owner, keys);
    expect(await client.members()).to.deep.equal(keys);
  });

  it("unlocks the group again when the add fails, and reports the contract's error as the cause", async function () {
    const { client } = await loadFixture(clientFixture);
    const versionBefore = await client.version();
    const failure = await client.addMembers([base64Key(1)]).then(
      () => expect.fail("adding a member twice succeeded"),
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(AddMembersError);
    const { cause, unlocked } = failure as AddMembersError;
    expect(unlocked).to.equal(true);
    expect(cause).to.be.instanceOf(PrivateTransactionRevertedError);
    expect((cause as PrivateTransactionRevertedError).errorName).to.equal("ParticipantAlreadyMember");
    expect(await client.canExecute()).to.equal(true);
    expect(await client.version()).to.equal(versionBefore);
    expect(await client.members()).to.deep.equal([base64Key(0), base64Key(1)]);
  });

  it("says so when the group stays locked because the unlock could not be sent either", async function () {
    const { owner, group } = await loadFixture(clientFixture);
    const unlockSelector = group.interface.getFunction("unlock").selector;
    const client = FlexiblePrivacyGroup.onPublicChain(new RefusingSigner(owner, unlockSelector));
    const failure = (await client.addMembers([base64Key(1)]).catch((e: unknown) => e)) as AddMembersError;
    expect(failure).to.be.instanceOf(AddMembersError);
    expect(failure.unlocked).to.equal(false);
    expect(String(failure.unlockError)).to.contain("node unreachable");
    expect(failure.message).to.contain("still locked");
    expect(await group.canExecute()).to.equal(false);
  });

  it("names reverts after the contracts' custom errors, the proxy's included", async function () {
    const { client, other } = await loadFixture(clientFixture);
    await expect(client.unlock()).to.be.rejectedWith(PrivateTransactionRevertedError, "GroupNotLocked()");
    const error = (await client.upgradeTo(hre.ethers.ZeroAddress).catch((e: unknown) => e)) as PrivateTransactionRevertedError;
    expect(error.errorName).to.equal("ProxyImplementationZeroAddress");
    expect(error.markerHash).to.equal("");
    const outsider = FlexiblePrivacyGroup.onPublicChain(other);
    const refused = (await outsider.removeMember(base64Key(0)).catch((e: unknown) => e)) as PrivateTransactionRevertedError;
    expect(refused.errorName).to.equal("GroupUnauthorizedAccount");
    expect(refused.args).to.deep.equal([other.address]);
  });

  it("hands the owner's role over in two steps", async function () {
    const { client, newOwner } = await loadFixture(clientFixture);
    await client.transferOwnership(newOwner.address);
    await FlexiblePrivacyGroup.onPublicChain(newOwner).acceptOwnership();
    expect(await client.owner()).to.equal(newOwner.address);
    await expect(client.lock()).to.be.rejectedWith(PrivateTransactionRevertedError, "GroupUnauthorizedAccount");
  });

  it("reads the membership history from the logs, ready for the access rules", async function () {
    const { client } = await loadFixture(clientFixture);
    await client.removeMember(base64Key(0));
    const removalBlock = await hre.ethers.provider.getBlockNumber();
    const history = await client.history();
    expect(history.map(({ kind, key }) => [kind, key])).to.deep.equal([
      ["added", base64Key(0)],
      ["added", base64Key(1)],
      ["removed", base64Key(0)],
    ]);
    expect(history[2].blockNumber).to.equal(removalBlock);
    expect(decideAccess(history, base64Key(0), { method: "priv_call", blockNumber: removalBlock }).allowed).to.equal(true);
    expect(decideAccess(history, base64Key(0), { method: "priv_call", blockNumber: removalBlock + 1 }).allowed).to.equal(false);
    expect(decideAccess(history, base64Key(1), { method: "priv_call", blockNumber: removalBlock + 1 }).allowed).to.equal(true);
  });

  it("cancels a pending transfer, after which the pending owner can not accept", async function () {
    const { client, newOwner } = await loadFixture(clientFixture);
    await client.transferOwnership(newOwner.address);
    await client.cancelOwnershipTransfer();
    await expect(FlexiblePrivacyGroup.onPublicChain(newOwner).acceptOwnership()).to.be.rejectedWith(
      PrivateTransactionRevertedError,
      "OwnershipNoPendingTransfer()",
    );
    expect(await client.owner()).to.not.equal(newOwner.address);
  });

  it("refuses to read the history through a signer without a provider, saying why", async function () {
    const client = FlexiblePrivacyGroup.onPublicChain(hre.ethers.Wallet.createRandom());
    await expect(client.history()).to.be.rejectedWith("the group's signer has no provider to read the chain with");
  });

  it("names a revert nested as info.error, and leaves an error without revert data alone", function () {
    const notLocked = hre.ethers.id("GroupNotLocked()").slice(0, 10);
    const decoded = decodeRevert({ info: { error: { data: notLocked } } });
    expect(decoded).to.be.instanceOf(PrivateTransactionRevertedError);
    expect((decoded as PrivateTransactionRevertedError).errorName).to.equal("GroupNotLocked");
    const plain = new Error("connection refused");
    expect(decodeRevert(plain)).to.equal(plain);
  });

  it("says what failed when an add fails with something that is not an Error", function () {
    expect(new AddMembersError("node gone", true).message).to.equal(
      "adding members failed (node gone); the group was unlocked again",
    );
  });

  it("refuses what only Besu's privacy API has with a named error, whatever the type says", function () {
    const client = FlexiblePrivacyGroup.onPublicChain(hre.ethers.Wallet.createRandom()) as FlexiblePrivacyGroup<unknown>;
    expect(() => client.privacyGroupId).to.throw(BesuOnlyError, "privacyGroupId needs Besu's privacy API");
    expect(() => client.runner).to.throw(BesuOnlyError);
  });

  it("decodes a private revert without a name after the group's errors, and leaves a named one alone", function () {
    const notLocked = hre.ethers.id("GroupNotLocked()").slice(0, 10);
    const unnamed = new PrivateTransactionRevertedError("0x" + "11".repeat(32), notLocked, null, []);
    const decoded = decodeRevert(unnamed) as PrivateTransactionRevertedError;
    expect(decoded.errorName).to.equal("GroupNotLocked");
    expect(decoded.markerHash).to.equal(unnamed.markerHash);
    expect(decodeRevert(decoded)).to.equal(decoded);
  });
});
