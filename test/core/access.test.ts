import { expect } from "chai";
import {
  type AccessDecision,
  AccessRefusal,
  type AccessRequest,
  InvalidMembershipHistoryError,
  InvalidTesseraKeyError,
  type MembershipChange,
  decideAccess,
  filtersToDrop,
  isPrivacyMethod,
  membershipStatus,
} from "../../src";

const key = (seed: number, length = 32): string =>
  Buffer.from(Array.from({ length }, (_, i) => (seed * 53 + i) % 256)).toString("base64");

const MEMBER = key(1); // added at 5, never removed
const REMOVED = key(2); // added at 5, removed at 10
const NEVER = key(3); // never appears
const CHURNER = key(4); // added 2, removed 4, re-added 6, removed 12, re-added 20, removed 30
const RETURNED = key(5); // added 3, removed 8, re-added 15: a member again
const FLEETING = key(6); // added and removed in block 10
const GHOST = key(7); // only a (meaningless) removal at 6
const TWICE_REMOVED = key(8); // added 5, removed 9, removed again 14
const EC_STRANGER = key(9, 91); // an EC key that never appears
const RE_ADDED_SAME_BLOCK = key(10); // added 1, removed 10, re-added 10

const history: MembershipChange[] = [
  { kind: "added", key: RE_ADDED_SAME_BLOCK, blockNumber: 1 },
  { kind: "added", key: CHURNER, blockNumber: 2 },
  { kind: "added", key: RETURNED, blockNumber: 3 },
  { kind: "removed", key: CHURNER, blockNumber: 4 },
  { kind: "added", key: MEMBER, blockNumber: 5 },
  { kind: "added", key: REMOVED, blockNumber: 5 },
  { kind: "added", key: TWICE_REMOVED, blockNumber: 5 },
  { kind: "added", key: CHURNER, blockNumber: 6 },
  { kind: "removed", key: GHOST, blockNumber: 6 },
  { kind: "removed", key: RETURNED, blockNumber: 8 },
  { kind: "removed", key: TWICE_REMOVED, blockNumber: 9 },
  { kind: "removed", key: REMOVED, blockNumber: 10 },
  { kind: "added", key: FLEETING, blockNumber: 10 },
  { kind: "removed", key: FLEETING, blockNumber: 10 },
  { kind: "removed", key: RE_ADDED_SAME_BLOCK, blockNumber: 10 },
  { kind: "added", key: RE_ADDED_SAME_BLOCK, blockNumber: 10 },
  { kind: "removed", key: CHURNER, blockNumber: 12 },
  { kind: "removed", key: TWICE_REMOVED, blockNumber: 14 },
  { kind: "added", key: RETURNED, blockNumber: 15 },
  { kind: "added", key: CHURNER, blockNumber: 20 },
  { kind: "removed", key: CHURNER, blockNumber: 30 },
];

const ALLOWED: AccessDecision = { allowed: true };
const refused = (reason: AccessRefusal): AccessDecision => ({ allowed: false, reason });
const clampedTo = (toBlock: number): AccessDecision => ({ allowed: true, toBlock });

type Case = [label: string, tenant: string, request: AccessRequest, expected: AccessDecision];

function runCases(cases: Case[]): void {
  for (const [label, tenant, request, expected] of cases) {
    it(label, () => {
      expect(decideAccess(history, tenant, request)).to.deep.equal(expected);
    });
  }
}

const EVERY_PRIVACY_METHOD = [
  "priv_getPrivateTransaction",
  "priv_getTransaction",
  "priv_getTransactionReceipt",
  "priv_call",
  "priv_getLogs",
  "priv_newFilter",
  "priv_getFilterChanges",
  "priv_getFilterLogs",
  "priv_uninstallFilter",
  "priv_getCode",
  "priv_getTransactionCount",
  "priv_distributeRawTransaction",
  "priv_debugGetStateRoot",
  "privx_findFlexiblePrivacyGroup",
  "eea_sendRawTransaction",
];

describe("decideAccess", () => {
  describe("a current member may do everything", () => {
    const cases: Case[] = EVERY_PRIVACY_METHOD.map((method) => [
      `${method} by a member is allowed, even for block 0 (before it joined)`,
      MEMBER,
      { method, blockNumber: 0, fromBlock: 0, toBlock: 100 },
      ALLOWED,
    ]);
    runCases([
      ...cases,
      ["a re-added member reads a transaction from while it was out", RETURNED, { method: "priv_getTransactionReceipt", blockNumber: 10 }, ALLOWED],
      ["a re-added member gets logs across its absence with no clamping", RETURNED, { method: "priv_getLogs", fromBlock: 0, toBlock: 50 }, ALLOWED],
      ["a re-added member may use filters again", RETURNED, { method: "priv_getFilterChanges" }, ALLOWED],
      ["a member removed and re-added in one block is a member", RE_ADDED_SAME_BLOCK, { method: "priv_newFilter" }, ALLOWED],
      ["a member needs no block for priv_call", MEMBER, { method: "priv_call" }, ALLOWED],
      ["a member's priv_getLogs without fromBlock is allowed as is", MEMBER, { method: "priv_getLogs" }, ALLOWED],
    ]);
  });

  describe("a key that was never a member may do nothing", () => {
    runCases([
      ...EVERY_PRIVACY_METHOD.map((method): Case => [
        `${method} by an unknown key is refused`,
        NEVER,
        { method, blockNumber: 0, fromBlock: 0, toBlock: 0 },
        refused(AccessRefusal.NeverAMember),
      ]),
      ["an unknown 91-byte EC key is refused", EC_STRANGER, { method: "priv_call", blockNumber: 1 }, refused(AccessRefusal.NeverAMember)],
      ["a key with only a removal was never a member", GHOST, { method: "priv_call", blockNumber: 1 }, refused(AccessRefusal.NeverAMember)],
    ]);

    it("is refused against an empty history", () => {
      expect(decideAccess([], MEMBER, { method: "priv_getLogs", fromBlock: 0 })).to.deep.equal(
        refused(AccessRefusal.NeverAMember),
      );
    });
  });

  describe("a removed key reads transactions up to and including its removal block", () => {
    const reads = ["priv_getPrivateTransaction", "priv_getTransaction", "priv_getTransactionReceipt", "priv_call"];
    runCases(
      reads.flatMap((method): Case[] => [
        [`${method} for block 0 is allowed`, REMOVED, { method, blockNumber: 0 }, ALLOWED],
        [`${method} for the block before the removal is allowed`, REMOVED, { method, blockNumber: 9 }, ALLOWED],
        [`${method} for the removal block itself is allowed`, REMOVED, { method, blockNumber: 10 }, ALLOWED],
        [`${method} for the block after the removal is refused`, REMOVED, { method, blockNumber: 11 }, refused(AccessRefusal.AfterRemoval)],
        [`${method} without a block number is refused`, REMOVED, { method }, refused(AccessRefusal.MissingBlockNumber)],
      ]),
    );
  });

  describe("a removed key's limit is its latest removal", () => {
    runCases([
      ["after several removals, a block while it was out but before the last removal is readable", CHURNER, { method: "priv_getTransaction", blockNumber: 15 }, ALLOWED],
      ["after several removals, the last removal block is readable", CHURNER, { method: "priv_call", blockNumber: 30 }, ALLOWED],
      ["after several removals, the block after the last removal is not", CHURNER, { method: "priv_call", blockNumber: 31 }, refused(AccessRefusal.AfterRemoval)],
      ["after several removals, logs are clamped to the last removal", CHURNER, { method: "priv_getLogs", fromBlock: 3, toBlock: 99 }, clampedTo(30)],
      ["added and removed in one block: that block is readable", FLEETING, { method: "priv_getTransaction", blockNumber: 10 }, ALLOWED],
      ["added and removed in one block: the next block is not", FLEETING, { method: "priv_getTransaction", blockNumber: 11 }, refused(AccessRefusal.AfterRemoval)],
      ["a second removal while already out does not extend access", TWICE_REMOVED, { method: "priv_call", blockNumber: 10 }, refused(AccessRefusal.AfterRemoval)],
      ["a second removal while already out keeps the first removal block readable", TWICE_REMOVED, { method: "priv_call", blockNumber: 9 }, ALLOWED],
    ]);
  });

  describe("a removed key's priv_getLogs is clamped to its removal block", () => {
    runCases([
      ["a range ending before the removal is kept", REMOVED, { method: "priv_getLogs", fromBlock: 0, toBlock: 5 }, clampedTo(5)],
      ["a range ending at the removal is kept", REMOVED, { method: "priv_getLogs", fromBlock: 0, toBlock: 10 }, clampedTo(10)],
      ["a range across the removal is cut at the removal", REMOVED, { method: "priv_getLogs", fromBlock: 3, toBlock: 50 }, clampedTo(10)],
      ["a range of only the removal block is allowed", REMOVED, { method: "priv_getLogs", fromBlock: 10, toBlock: 10 }, clampedTo(10)],
      ["a missing toBlock means latest, clamped to the removal", REMOVED, { method: "priv_getLogs", fromBlock: 2 }, clampedTo(10)],
      ["a range starting after the removal is refused", REMOVED, { method: "priv_getLogs", fromBlock: 11, toBlock: 20 }, refused(AccessRefusal.AfterRemoval)],
      ["an open range starting after the removal is refused", REMOVED, { method: "priv_getLogs", fromBlock: 11 }, refused(AccessRefusal.AfterRemoval)],
      ["a missing fromBlock is refused, as it would mean latest", REMOVED, { method: "priv_getLogs", toBlock: 5 }, refused(AccessRefusal.MissingFromBlock)],
      ["a request's blockNumber does not stand in for fromBlock", REMOVED, { method: "priv_getLogs", blockNumber: 1 }, refused(AccessRefusal.MissingFromBlock)],
    ]);
  });

  describe("a removed key loses its filters", () => {
    runCases([
      ["it may not create a filter, even over old blocks", REMOVED, { method: "priv_newFilter", fromBlock: 0, toBlock: 5 }, refused(AccessRefusal.RemovedCannotCreateFilters)],
      ["priv_getFilterChanges is refused", REMOVED, { method: "priv_getFilterChanges" }, refused(AccessRefusal.RemovedFiltersDropped)],
      ["priv_getFilterLogs is refused", REMOVED, { method: "priv_getFilterLogs" }, refused(AccessRefusal.RemovedFiltersDropped)],
      ["priv_uninstallFilter is refused", REMOVED, { method: "priv_uninstallFilter" }, refused(AccessRefusal.RemovedFiltersDropped)],
    ]);
  });

  describe("every other privacy method is closed to a removed key", () => {
    const others = [
      "priv_getCode",
      "priv_getTransactionCount",
      "priv_distributeRawTransaction",
      "priv_getEeaTransactionCount",
      "priv_debugGetStateRoot",
      "priv_getPrivacyPrecompileAddress",
      "priv_somethingNew",
      "privx_findFlexiblePrivacyGroup",
      "eea_sendRawTransaction",
    ];
    runCases(
      others.map((method): Case => [
        `${method} is refused, even for a block before the removal`,
        REMOVED,
        { method, blockNumber: 1 },
        refused(AccessRefusal.RemovedMethodNotAllowed),
      ]),
    );
  });

  describe("method names are matched on the exact prefixes priv_, privx_ and eea_", () => {
    const notPrivacy = ["eth_call", "eth_getLogs", "PRIV_call", "Priv_getLogs", "privcall", "private_getLogs", "privx", "eea", "eeasendRawTransaction", " priv_call", ""];
    runCases([
      ...notPrivacy.map((method): Case => [
        `${JSON.stringify(method)} is not a privacy method, refused even for a member`,
        MEMBER,
        { method },
        refused(AccessRefusal.NotAPrivacyMethod),
      ]),
      ["an unknown priv_ method is judged as a privacy method (allowed to a member)", MEMBER, { method: "priv_" }, ALLOWED],
      ["privx_ is a prefix in its own right", REMOVED, { method: "privx_call", blockNumber: 1 }, refused(AccessRefusal.RemovedMethodNotAllowed)],
      ["a longer name that starts with priv_call is not priv_call", REMOVED, { method: "priv_callMany", blockNumber: 1 }, refused(AccessRefusal.RemovedMethodNotAllowed)],
    ]);

    it("isPrivacyMethod agrees with the table", () => {
      for (const method of notPrivacy) expect(isPrivacyMethod(method), method).to.equal(false);
      for (const method of EVERY_PRIVACY_METHOD) expect(isPrivacyMethod(method), method).to.equal(true);
    });
  });

  describe("fromBlock > toBlock is an invalid range for everyone", () => {
    runCases([
      ["for a member", MEMBER, { method: "priv_getLogs", fromBlock: 6, toBlock: 5 }, refused(AccessRefusal.InvalidBlockRange)],
      ["for a removed key, even inside its readable blocks", REMOVED, { method: "priv_getLogs", fromBlock: 6, toBlock: 5 }, refused(AccessRefusal.InvalidBlockRange)],
      ["for a removed key, across its removal", REMOVED, { method: "priv_getLogs", fromBlock: 12, toBlock: 8 }, refused(AccessRefusal.InvalidBlockRange)],
      ["for a key never seen", NEVER, { method: "priv_getLogs", fromBlock: 6, toBlock: 5 }, refused(AccessRefusal.InvalidBlockRange)],
      ["for a filter", MEMBER, { method: "priv_newFilter", fromBlock: 2, toBlock: 1 }, refused(AccessRefusal.InvalidBlockRange)],
      ["but fromBlock == toBlock is a valid one-block range", MEMBER, { method: "priv_getLogs", fromBlock: 5, toBlock: 5 }, ALLOWED],
    ]);
  });

  describe("malformed input from the tenant is refused, never thrown", () => {
    const bad = (request: unknown): AccessRequest => request as AccessRequest;
    runCases([
      ["a method that is not a string", MEMBER, bad({ method: 42 }), refused(AccessRefusal.InvalidRequest)],
      ["a negative block number", MEMBER, bad({ method: "priv_call", blockNumber: -1 }), refused(AccessRefusal.InvalidRequest)],
      ["a fractional block number", REMOVED, bad({ method: "priv_call", blockNumber: 9.5 }), refused(AccessRefusal.InvalidRequest)],
      ["a block tag that was not resolved", REMOVED, bad({ method: "priv_getLogs", fromBlock: 0, toBlock: "latest" }), refused(AccessRefusal.InvalidRequest)],
      ["a null block number", REMOVED, bad({ method: "priv_call", blockNumber: null }), refused(AccessRefusal.InvalidRequest)],
      ["NaN as a block", MEMBER, bad({ method: "priv_getLogs", fromBlock: Number.NaN }), refused(AccessRefusal.InvalidRequest)],
      ["a request that is not an object", MEMBER, bad(null), refused(AccessRefusal.InvalidRequest)],
      ["a tenant key that is not base64", "not a key!", { method: "priv_call", blockNumber: 1 }, refused(AccessRefusal.InvalidTenantKey)],
      ["a member's key without its padding", MEMBER.slice(0, 43), { method: "priv_call", blockNumber: 1 }, refused(AccessRefusal.InvalidTenantKey)],
      ["a key of the wrong length", key(1, 16), { method: "priv_call", blockNumber: 1 }, refused(AccessRefusal.InvalidTenantKey)],
    ]);
  });

  describe("the history", () => {
    it("is validated: a malformed history throws instead of deciding", () => {
      const broken = [...history, { kind: "added", key: "oops", blockNumber: 1 } as MembershipChange];
      expect(() => decideAccess(broken, MEMBER, { method: "priv_call" })).to.throw(InvalidMembershipHistoryError);
    });

    it("is not mutated", () => {
      const copy = history.map((change) => ({ ...change }));
      decideAccess(history, CHURNER, { method: "priv_getLogs", fromBlock: 0 });
      expect(history).to.deep.equal(copy);
    });

    it("gives the same answers when its blocks come in reverse order", () => {
      // A stable sort keeps same-block changes in their order, which is all that matters within a block.
      const reversedBlocks = [...history].sort((a, b) => b.blockNumber - a.blockNumber);
      expect(reversedBlocks[0].blockNumber).to.equal(30);
      const request: AccessRequest = { method: "priv_getLogs", fromBlock: 0, toBlock: 40 };
      for (const tenant of [MEMBER, REMOVED, CHURNER, FLEETING, TWICE_REMOVED, RE_ADDED_SAME_BLOCK, GHOST]) {
        expect(decideAccess(reversedBlocks, tenant, request), tenant).to.deep.equal(decideAccess(history, tenant, request));
      }
    });
  });

  it("uses refusal codes that are distinct, stable strings", () => {
    const codes = Object.values(AccessRefusal);
    expect(new Set(codes).size).to.equal(codes.length);
    expect(AccessRefusal.AfterRemoval).to.equal("AFTER_REMOVAL");
    expect(AccessRefusal.NeverAMember).to.equal("NEVER_A_MEMBER");
    for (const code of codes) expect(code).to.match(/^[A-Z_]+$/);
  });
});

describe("membershipStatus", () => {
  const cases: Array<[string, string, ReturnType<typeof membershipStatus>]> = [
    ["a member", MEMBER, { state: "member" }],
    ["a removed key, with its removal block", REMOVED, { state: "removed", removedAt: 10 }],
    ["a key removed several times, with its latest removal", CHURNER, { state: "removed", removedAt: 30 }],
    ["a key removed twice in a row, with the removal that ended its membership", TWICE_REMOVED, { state: "removed", removedAt: 9 }],
    ["a re-added key, as a member", RETURNED, { state: "member" }],
    ["a key with only a removal, as never a member", GHOST, { state: "never-member" }],
    ["an unknown key, as never a member", NEVER, { state: "never-member" }],
  ];
  for (const [label, tenant, expected] of cases) {
    it(`reports ${label}`, () => {
      expect(membershipStatus(history, tenant)).to.deep.equal(expected);
    });
  }

  it("throws on a malformed key instead of calling it a stranger", () => {
    expect(() => membershipStatus(history, "nope")).to.throw(InvalidTesseraKeyError);
  });
});

describe("filtersToDrop", () => {
  const filters = [
    { id: "0x1", tenantKey: REMOVED },
    { id: "0x2", tenantKey: MEMBER },
    { id: "0x3", tenantKey: REMOVED },
    { id: "0x4", tenantKey: CHURNER },
  ];

  it("returns every filter of the removed key, in the given order", () => {
    expect(filtersToDrop({ kind: "removed", key: REMOVED, blockNumber: 10 }, filters)).to.deep.equal(["0x1", "0x3"]);
  });

  it("returns nothing for an addition", () => {
    expect(filtersToDrop({ kind: "added", key: REMOVED, blockNumber: 10 }, filters)).to.deep.equal([]);
  });

  it("returns nothing when the removed key owns no filter", () => {
    expect(filtersToDrop({ kind: "removed", key: NEVER, blockNumber: 10 }, filters)).to.deep.equal([]);
  });

  it("throws on a filter whose tenant key is malformed, rather than keeping it silently", () => {
    const sloppy = [...filters, { id: "0x5", tenantKey: REMOVED.slice(0, 43) }];
    expect(() => filtersToDrop({ kind: "removed", key: REMOVED, blockNumber: 10 }, sloppy)).to.throw(
      InvalidTesseraKeyError,
    );
  });

  it("throws on a malformed change", () => {
    const change = { kind: "removed", key: REMOVED, blockNumber: -3 } as MembershipChange;
    expect(() => filtersToDrop(change, filters)).to.throw(InvalidMembershipHistoryError);
  });
});
