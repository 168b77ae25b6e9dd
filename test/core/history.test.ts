import { expect } from "chai";
import { Interface, type Log, toBeHex } from "ethers";
import fc from "fast-check";
import {
  InvalidMembershipHistoryError,
  type MembershipChange,
  type MembershipLog,
  SdkErrorCode,
  historyByKey,
  membersAt,
  membershipHistory,
  membershipHistoryFromLogs,
} from "../../src";

// Built here from the contract's event signatures, independently of the SDK's own Interface.
const groupEvents = new Interface([
  "event ParticipantAdded(bool success, bytes publicEnclaveKey, string message)",
  "event ParticipantRemoved(bytes publicEnclaveKey)",
  "event GroupLocked(address by)",
]);

const keyBytes = (seed: number, length = 32): Uint8Array => Uint8Array.from({ length }, (_, i) => (seed * 31 + i) % 256);
const base64Of = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");
const ALICE = keyBytes(1);
const BOB = keyBytes(2);
const CAROL_EC = keyBytes(3, 91);

let nextTx = 1;
const PROXY = "0x000000000000000000000000000000000000007c";
function logOf(
  event: "ParticipantAdded" | "ParticipantRemoved" | "GroupLocked",
  values: unknown[],
  blockNumber: number,
  index: number,
): MembershipLog {
  const { data, topics } = groupEvents.encodeEventLog(event, values);
  return { address: PROXY, data, topics, blockNumber, index, transactionHash: toBeHex(nextTx++, 32), removed: false };
}
const added = (key: Uint8Array, block: number, index: number, success = true): MembershipLog =>
  logOf("ParticipantAdded", [success, key, success ? "Member account added successfully" : "Account is already a Member"], block, index);
const removed = (key: Uint8Array, block: number, index: number): MembershipLog =>
  logOf("ParticipantRemoved", [key], block, index);

const change = (kind: "added" | "removed", key: Uint8Array, blockNumber: number, logIndex?: number): MembershipChange =>
  logIndex === undefined ? { kind, key: base64Of(key), blockNumber } : { kind, key: base64Of(key), blockNumber, logIndex };

function expectHistoryError(action: () => unknown, code: SdkErrorCode): InvalidMembershipHistoryError {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidMembershipHistoryError);
    expect((error as InvalidMembershipHistoryError).code).to.equal(code);
    return error as InvalidMembershipHistoryError;
  }
  expect.fail(`expected an InvalidMembershipHistoryError with code ${code}`);
}

describe("membership history", () => {
  describe("membershipHistoryFromLogs", () => {
    it("accepts ethers v6 Log objects (compile-time check)", () => {
      const fromEthersLogs: (logs: readonly Log[]) => MembershipChange[] = membershipHistoryFromLogs;
      expect(fromEthersLogs([])).to.deep.equal([]);
    });

    it("decodes additions and removals into base64 keys with their positions", () => {
      const logs = [added(ALICE, 3, 0), added(CAROL_EC, 3, 1), removed(ALICE, 7, 4)];
      expect(membershipHistoryFromLogs(logs)).to.deep.equal([
        { kind: "added", key: base64Of(ALICE), blockNumber: 3, logIndex: 0, transactionHash: logs[0].transactionHash },
        { kind: "added", key: base64Of(CAROL_EC), blockNumber: 3, logIndex: 1, transactionHash: logs[1].transactionHash },
        { kind: "removed", key: base64Of(ALICE), blockNumber: 7, logIndex: 4, transactionHash: logs[2].transactionHash },
      ]);
    });

    it("returns chain order (block, then log index) whatever order the logs come in", () => {
      const inOrder = [added(ALICE, 1, 0), added(BOB, 1, 5), removed(ALICE, 2, 0), added(ALICE, 2, 3), removed(BOB, 9, 1)];
      const shuffled = [inOrder[3], inOrder[4], inOrder[1], inOrder[0], inOrder[2]];
      const expected = membershipHistoryFromLogs(inOrder).map(({ kind, key, blockNumber }) => [kind, key, blockNumber]);
      expect(membershipHistoryFromLogs(shuffled).map(({ kind, key, blockNumber }) => [kind, key, blockNumber])).to.deep.equal(
        expected,
      );
      expect(expected).to.deep.equal([
        ["added", base64Of(ALICE), 1],
        ["added", base64Of(BOB), 1],
        ["removed", base64Of(ALICE), 2],
        ["added", base64Of(ALICE), 2],
        ["removed", base64Of(BOB), 9],
      ]);
    });

    it("ignores other events, topic-less logs, reorged-away logs and unsuccessful additions", () => {
      const reorged = { ...removed(ALICE, 4, 0), removed: true };
      const anonymous = { address: PROXY, data: "0x", topics: [], blockNumber: 4, index: 1 };
      const locked = logOf("GroupLocked", ["0x000000000000000000000000000000000000dEaD"], 4, 2);
      const alreadyMember = added(ALICE, 4, 3, false);
      const history = membershipHistoryFromLogs([added(ALICE, 2, 0), reorged, anonymous, locked, alreadyMember]);
      expect(history.map((c) => [c.kind, c.blockNumber])).to.deep.equal([["added", 2]]);
    });

    it("accepts membership events only from the group's own contracts, 0x…7b and 0x…7c by default", () => {
      const at = (log: MembershipLog, address: string): MembershipLog => ({ ...log, address });
      const fromManagement = at(added(ALICE, 2, 0), "0x000000000000000000000000000000000000007B");
      const fromProxy = at(removed(ALICE, 3, 0), "0x000000000000000000000000000000000000007c");
      // A contract deployed in the group can emit the very same events: it must not change membership.
      const impostor = at(added(BOB, 3, 1), "0x5FbDB2315678afecb367f032d93F642f64180aa3");
      const precompile = at(added(CAROL_EC, 3, 2), "0x000000000000000000000000000000000000007d");
      const history = membershipHistoryFromLogs([fromManagement, fromProxy, impostor, precompile]);
      expect(history.map((c) => [c.kind, c.key])).to.deep.equal([
        ["added", base64Of(ALICE)],
        ["removed", base64Of(ALICE)],
      ]);
      // A group whose proxy lives elsewhere (an ordinary network) names its own address.
      const elsewhere = membershipHistoryFromLogs([fromManagement, impostor], { groupAddresses: [impostor.address] });
      expect(elsewhere.map((c) => [c.kind, c.key])).to.deep.equal([["added", base64Of(BOB)]]);
    });

    it("refuses a log without an address, undefined or null, rather than take it as the group's", () => {
      for (const address of [undefined, null]) {
        const log = { ...added(BOB, 2, 0), address } as unknown as MembershipLog;
        const error = expectHistoryError(() => membershipHistoryFromLogs([added(ALICE, 1, 0), log]), SdkErrorCode.MalformedLog);
        expect(error.message).to.include("log #1 has no address");
      }
    });

    it("reads raw JSON-RPC logs whose numbers are hex strings and whose position is logIndex", () => {
      const { data, topics } = groupEvents.encodeEventLog("ParticipantRemoved", [BOB]);
      const raw = { address: PROXY, data, topics, blockNumber: "0x1a", logIndex: "0x2", transactionHash: toBeHex(99, 32) };
      expect(membershipHistoryFromLogs([raw])).to.deep.equal([
        { kind: "removed", key: base64Of(BOB), blockNumber: 26, logIndex: 2, transactionHash: toBeHex(99, 32) },
      ]);
    });

    it("refuses a membership log whose data does not decode", () => {
      const broken = { ...added(ALICE, 1, 0), data: "0x1234" };
      const error = expectHistoryError(() => membershipHistoryFromLogs([broken]), SdkErrorCode.MalformedLog);
      expect(error.message).to.contain("log #0").and.to.contain("ParticipantAdded");
    });

    it("refuses a membership log whose words are not what the contract's ABI encoder writes", () => {
      const log = added(ALICE, 1, 0);
      const words = log.data.slice(2).match(/.{64}/g)!;
      const word = (value: bigint) => value.toString(16).padStart(64, "0");
      const withWord = (index: number, value: string) =>
        `0x${words.map((w, i) => (i === index ? value : w)).join("")}`;
      const keyAt = Number(BigInt(`0x${words[1]}`)) / 32;
      const messageAt = Number(BigInt(`0x${words[2]}`)) / 32;
      const broken = {
        "a bool word holds 2": withWord(0, word(2n)),
        "offset 4096 is past the data": withWord(1, word(4096n)),
        "bytes run past the data": withWord(keyAt, word(1000n)),
        "not valid for encoding utf-8": withWord(messageAt + 1, "ff".repeat(32)),
      };
      for (const [why, data] of Object.entries(broken)) {
        const error = expectHistoryError(() => membershipHistoryFromLogs([{ ...log, data }]), SdkErrorCode.MalformedLog);
        expect(error.message, why).to.contain("data does not decode");
        expect((error.cause as Error).message).to.contain(why);
      }
      expect(membershipHistoryFromLogs([log])).to.have.length(1); // the same log, unbroken, decodes
    });

    it("refuses a membership log whose key is not 32 or 91 bytes", () => {
      const error = expectHistoryError(
        () => membershipHistoryFromLogs([added(ALICE, 1, 0), removed(keyBytes(4, 20), 2, 0)]),
        SdkErrorCode.MalformedLog,
      );
      expect(error.message).to.contain("log #1").and.to.contain("got 20");
    });

    it("refuses a membership log without a usable block number", () => {
      for (const blockNumber of [-1, 1.5, "26", "0xzz"]) {
        const log = { ...added(ALICE, 1, 0), blockNumber } as MembershipLog;
        expectHistoryError(() => membershipHistoryFromLogs([log]), SdkErrorCode.MalformedLog);
      }
    });

    it("gives back any encoded history unchanged (round trip)", () => {
      const keys = [ALICE, BOB, CAROL_EC];
      const step = fc.record({ kind: fc.constantFrom("added" as const, "removed" as const), who: fc.nat(2), gap: fc.nat(2) });
      fc.assert(
        fc.property(fc.array(step, { maxLength: 15 }), (steps) => {
          let block = 0;
          const expected: MembershipChange[] = steps.map(({ kind, who, gap }, logIndex) => {
            block += gap;
            return change(kind, keys[who], block, logIndex);
          });
          const logs = expected.map((c) => {
            const key = Buffer.from(c.key, "base64");
            const values = c.kind === "added" ? [true, key, "ok"] : [key];
            const event = c.kind === "added" ? "ParticipantAdded" : "ParticipantRemoved";
            return { address: PROXY, ...groupEvents.encodeEventLog(event, values), blockNumber: c.blockNumber, index: c.logIndex };
          });
          expect(membershipHistoryFromLogs(logs.reverse())).to.deep.equal(expected);
        }),
        { numRuns: 200 },
      );
    });
  });

  describe("membershipHistory", () => {
    it("sorts by block then log index and copies instead of mutating", () => {
      const given = [change("removed", ALICE, 5, 2), change("added", BOB, 5, 0), change("added", ALICE, 1, 7)];
      const snapshot = JSON.parse(JSON.stringify(given)) as unknown;
      const sorted = membershipHistory(given);
      expect(sorted.map((c) => [c.blockNumber, c.logIndex])).to.deep.equal([
        [1, 7],
        [5, 0],
        [5, 2],
      ]);
      expect(given).to.deep.equal(snapshot);
      expect(sorted[0]).not.to.equal(given[2]);
    });

    it("keeps the given order within a block when there are no log indexes", () => {
      const given = [change("added", ALICE, 4), change("removed", ALICE, 4), change("added", BOB, 2)];
      expect(membershipHistory(given)).to.deep.equal([given[2], given[0], given[1]]);
    });

    it("drops unknown fields but keeps transactionHash", () => {
      const withExtras = { ...change("added", ALICE, 1), transactionHash: "0xabc", note: "x" } as MembershipChange;
      expect(membershipHistory([withExtras])).to.deep.equal([{ ...change("added", ALICE, 1), transactionHash: "0xabc" }]);
    });

    it("refuses a block that mixes indexed and unindexed changes", () => {
      expectHistoryError(
        () => membershipHistory([change("added", ALICE, 4, 1), change("removed", ALICE, 4)]),
        SdkErrorCode.AmbiguousOrder,
      );
    });

    it("refuses two changes at the same block and log index", () => {
      expectHistoryError(
        () => membershipHistory([change("added", ALICE, 4, 1), change("added", BOB, 4, 1)]),
        SdkErrorCode.DuplicatePosition,
      );
    });

    const invalid: Array<[string, unknown]> = [
      ["a null entry", null],
      ["an unknown kind", { kind: "joined", key: base64Of(ALICE), blockNumber: 1 }],
      ["a non-canonical key", { kind: "added", key: base64Of(ALICE).slice(0, 43), blockNumber: 1 }],
      ["a key of the wrong length", { kind: "added", key: base64Of(keyBytes(1, 16)), blockNumber: 1 }],
      ["a negative block", { kind: "added", key: base64Of(ALICE), blockNumber: -1 }],
      ["a fractional block", { kind: "added", key: base64Of(ALICE), blockNumber: 1.5 }],
      ["a block given as a string", { kind: "added", key: base64Of(ALICE), blockNumber: "1" }],
      ["a negative log index", { kind: "added", key: base64Of(ALICE), blockNumber: 1, logIndex: -1 }],
      ["a non-string transaction hash", { kind: "added", key: base64Of(ALICE), blockNumber: 1, transactionHash: 7 }],
    ];
    for (const [label, entry] of invalid) {
      it(`refuses ${label}, naming its position`, () => {
        const error = expectHistoryError(
          () => membershipHistory([change("added", BOB, 0), entry as MembershipChange]),
          SdkErrorCode.InvalidChange,
        );
        expect(error.message).to.contain("change #1");
      });
    }

    it("refuses something that is not an array", () => {
      expectHistoryError(() => membershipHistory({} as MembershipChange[]), SdkErrorCode.InvalidChange);
    });
  });

  describe("historyByKey", () => {
    it("lists each key's additions, removals and re-additions in chain order", () => {
      const history = [
        change("added", BOB, 8, 0),
        change("added", ALICE, 1, 0),
        change("removed", ALICE, 5, 0),
        change("added", ALICE, 9, 0),
        change("removed", BOB, 9, 1),
      ];
      const byKey = historyByKey(history);
      expect([...byKey.keys()]).to.deep.equal([base64Of(ALICE), base64Of(BOB)]);
      expect(byKey.get(base64Of(ALICE))).to.deep.equal([
        { kind: "added", blockNumber: 1 },
        { kind: "removed", blockNumber: 5 },
        { kind: "added", blockNumber: 9 },
      ]);
      expect(byKey.get(base64Of(BOB))).to.deep.equal([
        { kind: "added", blockNumber: 8 },
        { kind: "removed", blockNumber: 9 },
      ]);
    });

    it("is empty for an empty history", () => {
      expect(historyByKey([]).size).to.equal(0);
    });
  });

  describe("membersAt", () => {
    const history = [
      change("added", ALICE, 2, 0),
      change("added", BOB, 2, 1),
      change("removed", ALICE, 5, 0),
      change("added", CAROL_EC, 7, 0),
      change("removed", CAROL_EC, 7, 1),
      change("added", ALICE, 9, 0),
    ];
    const people = { alice: ALICE, bob: BOB, carol: CAROL_EC };
    const table: Array<[number, Array<keyof typeof people>, string]> = [
      [0, [], "before any change"],
      [2, ["alice", "bob"], "in the block of the additions"],
      [4, ["alice", "bob"], "between changes"],
      [5, ["bob"], "in the block of a removal"],
      [7, ["bob"], "after an addition and removal in one block"],
      [9, ["alice", "bob"], "after a re-addition"],
      [1000, ["alice", "bob"], "long after the last change"],
    ];
    for (const [block, members, when] of table) {
      it(`after block ${block} (${when}) the members are: ${members.join(", ") || "nobody"}`, () => {
        const expected = members.map((name) => base64Of(people[name]));
        expect([...membersAt(history, block)].sort()).to.deep.equal(expected.sort());
      });
    }

    it("treats adding a member and removing a non-member as no-ops", () => {
      const redundant = [change("added", ALICE, 1), change("added", ALICE, 2), change("removed", BOB, 3)];
      expect([...membersAt(redundant, 3)]).to.deep.equal([base64Of(ALICE)]);
    });

    it("refuses a block number that is not an integer", () => {
      expect(() => membersAt(history, 1.5)).to.throw(RangeError);
      expect(() => membersAt(history, Number.NaN)).to.throw(RangeError);
    });
  });
});
