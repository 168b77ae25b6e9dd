import { expect } from "chai";
import fc from "fast-check";
import { type AccessDecision, type AccessRequest, type MembershipChange, decideAccess, membersAt } from "../../src";

const KEYS = [1, 2, 3, 4].map((seed) => Buffer.alloc(32, seed).toString("base64"));
const KEYS_IN_HISTORY = 3; // the last key never appears, so "never a member" is exercised
const HORIZON = 80; // later than any block the generators produce

const METHODS = [
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
  "privx_findFlexiblePrivacyGroup",
  "eea_sendRawTransaction",
  "eth_call",
  "PRIV_call",
  "privcall",
];

const historyArbitrary: fc.Arbitrary<MembershipChange[]> = fc
  .tuple(
    fc.nat(3),
    fc.array(
      fc.record({
        kind: fc.constantFrom("added" as const, "removed" as const),
        who: fc.nat(KEYS_IN_HISTORY - 1),
        gap: fc.nat(3), // 0 puts several changes in one block
      }),
      { maxLength: 14 },
    ),
  )
  .map(([start, steps]) => {
    let block = start;
    return steps.map(({ kind, who, gap }) => {
      block += gap;
      return { kind, key: KEYS[who], blockNumber: block };
    });
  });

const optionalBlock = fc.option(fc.nat(60), { nil: undefined });
const requestArbitrary: fc.Arbitrary<AccessRequest> = fc
  .record({ method: fc.constantFrom(...METHODS), blockNumber: optionalBlock, fromBlock: optionalBlock, toBlock: optionalBlock })
  .map((request) => {
    // Leave absent fields out entirely, as a JSON request would.
    const present = Object.entries(request).filter(([, value]) => value !== undefined);
    return Object.fromEntries(present) as AccessRequest;
  });

/** For each block 0..HORIZON: was the tenant a member at some moment of it, and at its end? */
function membershipByBlock(history: readonly MembershipChange[], tenant: string) {
  const during: boolean[] = [];
  const atEnd: boolean[] = [];
  let member = false;
  for (let block = 0; block <= HORIZON; block++) {
    let memberSometimeInBlock = member;
    for (const change of history) {
      if (change.blockNumber !== block || change.key !== tenant) continue;
      member = change.kind === "added";
      memberSometimeInBlock = memberSometimeInBlock || member;
    }
    during.push(memberSometimeInBlock);
    atEnd.push(member);
  }
  return { during, atEnd };
}

/** Brute-force reading of the rules, from the per-block table only. */
function oracle(history: readonly MembershipChange[], tenant: string, request: AccessRequest): AccessDecision {
  const { during, atEnd } = membershipByBlock(history, tenant);
  // A removed tenant may read block b if it was a member in b or in any later block.
  const readable = (block: number): boolean => during.slice(block).some(Boolean);
  const { method, blockNumber, fromBlock, toBlock } = request;

  if (!/^(priv|privx|eea)_/.test(method)) return { allowed: false, reason: "NOT_A_PRIVACY_METHOD" };
  if (fromBlock !== undefined && toBlock !== undefined && toBlock < fromBlock) {
    return { allowed: false, reason: "INVALID_BLOCK_RANGE" };
  }
  if (atEnd[HORIZON]) return { allowed: true };
  if (!during.includes(true)) return { allowed: false, reason: "NEVER_A_MEMBER" };

  switch (method) {
    case "priv_getPrivateTransaction":
    case "priv_getTransaction":
    case "priv_getTransactionReceipt":
    case "priv_call":
      if (blockNumber === undefined) return { allowed: false, reason: "MISSING_BLOCK_NUMBER" };
      return readable(blockNumber) ? { allowed: true } : { allowed: false, reason: "AFTER_REMOVAL" };
    case "priv_getLogs": {
      if (fromBlock === undefined) return { allowed: false, reason: "MISSING_FROM_BLOCK" };
      if (!readable(fromBlock)) return { allowed: false, reason: "AFTER_REMOVAL" };
      let last = fromBlock;
      for (let block = fromBlock; block <= (toBlock ?? HORIZON); block++) if (readable(block)) last = block;
      return { allowed: true, toBlock: last };
    }
    case "priv_newFilter":
      return { allowed: false, reason: "REMOVED_CANNOT_CREATE_FILTERS" };
    case "priv_getFilterChanges":
    case "priv_getFilterLogs":
    case "priv_uninstallFilter":
      return { allowed: false, reason: "REMOVED_FILTERS_DROPPED" };
    default:
      return { allowed: false, reason: "REMOVED_METHOD_NOT_ALLOWED" };
  }
}

describe("decideAccess against a block-by-block replay (property-based)", () => {
  it("agrees with the oracle on random histories, tenants and requests", () => {
    fc.assert(
      fc.property(historyArbitrary, fc.constantFrom(...KEYS), requestArbitrary, (history, tenant, request) => {
        expect(decideAccess(history, tenant, request)).to.deep.equal(oracle(history, tenant, request));
      }),
      { numRuns: 5000 },
    );
  });

  it("sees every kind of outcome, so the agreement above is not vacuous", () => {
    const outcomes = new Set<string>();
    fc.assert(
      fc.property(historyArbitrary, fc.constantFrom(...KEYS), requestArbitrary, (history, tenant, request) => {
        const decision = oracle(history, tenant, request);
        outcomes.add(decision.allowed ? (decision.toBlock === undefined ? "allowed" : "clamped") : decision.reason);
      }),
      { numRuns: 5000, seed: 42 },
    );
    expect([...outcomes].sort()).to.deep.equal([
      "AFTER_REMOVAL",
      "INVALID_BLOCK_RANGE",
      "MISSING_BLOCK_NUMBER",
      "MISSING_FROM_BLOCK",
      "NEVER_A_MEMBER",
      "NOT_A_PRIVACY_METHOD",
      "REMOVED_CANNOT_CREATE_FILTERS",
      "REMOVED_FILTERS_DROPPED",
      "REMOVED_METHOD_NOT_ALLOWED",
      "allowed",
      "clamped",
    ]);
  });

  it("membersAt agrees with the replay's end-of-block membership", () => {
    fc.assert(
      fc.property(historyArbitrary, fc.nat(HORIZON), (history, block) => {
        const members = membersAt(history, block);
        for (const key of KEYS) {
          expect(members.has(key)).to.equal(membershipByBlock(history, key).atEnd[block]);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
