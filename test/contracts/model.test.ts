import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import fc from "fast-check";
import hre from "hardhat";
import { type Interface, type TransactionResponse, ZeroAddress } from "ethers";
import { EC_KEY_LENGTH, NACL_KEY_LENGTH, pseudoRandomKey, pseudoRandomKeys } from "../../src/hardhat/trial-keys";
import { genesisFixture } from "../helpers/fixtures";
import { GroupModel, type Operation, encodeOperation, expectParticipants, observe } from "../helpers/model";

/** A small pool of NaCl keys, so that adds and removes collide often; rarely, a key of the wrong length or an empty one. */
const POOL = pseudoRandomKeys("model", 0, 5, NACL_KEY_LENGTH);
const ODD_KEYS = [pseudoRandomKey("model-ec", 0, EC_KEY_LENGTH), "0x"];
const keyArbitrary = fc.oneof(
  { weight: 15, arbitrary: fc.constantFrom(...POOL) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_KEYS) },
);

/**
 * Who sends: the current owner, the pending owner, or a fixed sender (0-2: signers, 3: the owner's
 * signer through the ForwardingCaller contract, so that msg.sender is a contract, which may never own the group).
 */
type Actor = "owner" | "pending" | 0 | 1 | 2 | 3;
/** Mostly the account the operation is meant for (the owner, or the pending owner for acceptOwnership). */
function actorArbitrary(usual: "owner" | "pending" = "owner"): fc.Arbitrary<Actor> {
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant(usual) },
    { weight: 1, arbitrary: fc.constant(usual === "owner" ? ("pending" as const) : ("owner" as const)) },
    { weight: 3, arbitrary: fc.constantFrom<Actor>(0, 1, 2, 3) },
  );
}

/** An operation with senders still symbolic: the ownership target is a sender index or address(0). */
type Step =
  | { kind: "lock" | "unlock" | "acceptOwnership" | "cancelOwnershipTransfer"; actor: Actor }
  | { kind: "addParticipants"; keys: string[]; actor: Actor }
  | { kind: "removeParticipant"; key: string | number; actor: Actor } // a number: the member at that position
  | { kind: "transferOwnership"; to: 0 | 1 | 2 | 3 | "zero"; actor: Actor };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("lock" as const), actor: actorArbitrary() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("unlock" as const), actor: actorArbitrary() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("addParticipants" as const),
      keys: fc.oneof(
        { weight: 1, arbitrary: fc.constant<string[]>([]) },
        { weight: 12, arbitrary: fc.array(keyArbitrary, { minLength: 1, maxLength: 4 }) },
      ),
      actor: actorArbitrary(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("cancelOwnershipTransfer" as const), actor: actorArbitrary() }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("removeParticipant" as const),
      key: fc.oneof(keyArbitrary, fc.nat(7)),
      actor: actorArbitrary(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("transferOwnership" as const),
      to: fc.constantFrom<0 | 1 | 2 | 3 | "zero">(0, 1, 2, 3, "zero"),
      actor: actorArbitrary(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("acceptOwnership" as const),
      actor: actorArbitrary("pending"),
    }),
  },
);

/** Mostly, a run begins by creating the group (from any sender), so that most steps act on a live group. */
const runArbitrary: fc.Arbitrary<Step[]> = fc
  .tuple(
    fc.option(
      fc.record({
        kind: fc.constant("addParticipants" as const),
        keys: fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: 3 }),
        actor: fc.constantFrom<Actor>(0, 1, 2, 3),
      }),
      { freq: 8 },
    ),
    fc.array(stepArbitrary, { minLength: 1, maxLength: 30, size: "max" }),
  )
  .map(([creation, steps]) => (creation === null ? steps : [creation, ...steps]));

/** The member at `position` (modulo the group's size), or a pool key when the group is empty. */
function memberAt(model: GroupModel, position: number): string {
  return model.participants.length === 0 ? POOL[0] : model.participants[position % model.participants.length];
}

describe("management model: random operation sequences against a TypeScript model", function () {
  it("every operation reverts exactly when, and with the error, the model predicts, and leaves the model's state", async function () {
    // 40 random sequences: about 30 s plain, several minutes on instrumented contracts (npm run coverage)
    // on a busy 2-core machine. A bound, not a speed check: past it mocha would run the next tests while
    // this one still sends transactions, and they would fail on its chain state.
    this.timeout(15 * 60_000);
    await fc.assert(
      fc.asyncProperty(runArbitrary, async (steps) => {
        const { group, owner, other, newOwner, caller } = await loadFixture(genesisFixture);
        const groupAddress = await group.getAddress();
        const callerAddress = await caller.getAddress();
        const senders = [
          { address: owner.address, send: (data: string) => owner.sendTransaction({ to: groupAddress, data }) },
          { address: other.address, send: (data: string) => other.sendTransaction({ to: groupAddress, data }) },
          { address: newOwner.address, send: (data: string) => newOwner.sendTransaction({ to: groupAddress, data }) },
          {
            address: callerAddress,
            send: (data: string): Promise<TransactionResponse> => caller.connect(owner).forward(groupAddress, data),
          },
        ];
        const senderAt = (address: string, fallback: number) =>
          senders.find((s) => s.address === address) ?? senders[fallback];
        const model = new GroupModel(new Set([callerAddress]));
        const iface: Interface = group.interface;
        const reader = group.connect(hre.ethers.provider); // calls from any address, contracts included
        const versions = new Set<string>([await group.getVersion()]);
        let version = await group.getVersion();

        for (const [index, step] of steps.entries()) {
          const sender =
            step.actor === "owner"
              ? senderAt(model.owner, 0)
              : step.actor === "pending"
                ? senderAt(model.pendingOwner, 2)
                : senders[step.actor];
          const op: Operation =
            step.kind === "transferOwnership"
              ? { kind: step.kind, newOwner: step.to === "zero" ? ZeroAddress : senders[step.to].address }
              : step.kind === "addParticipants"
                ? { kind: step.kind, keys: step.keys }
                : step.kind === "removeParticipant"
                  ? { kind: step.kind, key: typeof step.key === "string" ? step.key : memberAt(model, step.key) }
                  : { kind: step.kind };
          const where = `step ${index} (${JSON.stringify(op)} from ${sender.address})`;
          const changesBefore = model.membershipChanges;

          const predicted = model.apply(op, sender.address);
          const data = encodeOperation(iface, op);
          const actual = await observe(() => sender.send(data), iface, groupAddress);
          expect(actual, where).to.deep.equal(predicted);

          await expectParticipants(group, model.participants, where);
          expect(await group.owner(), where).to.equal(model.owner);
          expect(await group.pendingOwner(), where).to.equal(model.pendingOwner);
          expect(await group.canExecute(), where).to.equal(model.canExecute);
          for (const s of senders) {
            expect(await reader.canUpgrade({ from: s.address }), `${where}: canUpgrade for ${s.address}`).to.equal(
              model.isOwner(s.address),
            );
          }

          const next = await group.getVersion();
          if (model.membershipChanges === changesBefore) {
            expect(next, `${where}: version must not change`).to.equal(version);
          } else {
            expect(versions.has(next), `${where}: version ${next} must be new`).to.equal(false);
            versions.add(next);
          }
          version = next;
        }
      }),
      { numRuns: 40 },
    );
  });
});
