import { expect } from "chai";
import type { MembershipChange } from "../../src";
import { Errors, RpcError } from "../../src/network/rpc/errors";
import { type PrivateSend, TenantAccess } from "../../src/network/tenancy/rules";
import type { PrivateFilter } from "../../src/network/rpc/privacy-api";
import { parseLogFilter } from "../../src/network/state/logs";
import type { AccessRules } from "../../src/network/types";

const key = (seed: number) => Buffer.alloc(32, seed).toString("base64");
const OWNER = key(1); // creates the group at block 2
const REMOVED = key(2); // added at 2, removed at 10
const NEVER = key(3); // never a member
const LATE = key(4); // added at 6
const GROUP = Buffer.alloc(32, 0xaa).toString("base64");
const NEW_GROUP = Buffer.alloc(32, 0xbb).toString("base64"); // no state on this node
const HEAD = 20;
const REMOVAL = 10;
const hex = (n: number) => "0x" + n.toString(16);
const PROXY = "0x000000000000000000000000000000000000007c";
const blockHash = (n: number) => "0x" + n.toString(16).padStart(64, "0");

const history: MembershipChange[] = [
  { kind: "added", key: OWNER, blockNumber: 2 },
  { kind: "added", key: REMOVED, blockNumber: 2 },
  { kind: "added", key: LATE, blockNumber: 6 },
  { kind: "removed", key: REMOVED, blockNumber: REMOVAL },
];

const OTHER_GROUP = Buffer.alloc(32, 0xcc).toString("base64");
const installed = (id: string, groupId: string, ownerKey: string): PrivateFilter => ({
  id,
  groupId,
  ownerKey,
  filter: parseLogFilter(undefined),
  lastBlock: 0,
  lastUsed: 0,
});
const FILTERS = [installed("0xa1", GROUP, OWNER), installed("0xb1", OTHER_GROUP, LATE)];

/** The raw transaction the send checks get; what they read is the decoded send passed beside it. */
const RAW = "0xf8";

function access(rules: AccessRules): TenantAccess {
  return new TenantAccess(rules, {
    membershipHistory: (groupId) => (groupId === GROUP ? history : []),
    headBlockNumber: () => HEAD,
    blockNumberOfHash: (hash) => (/^0x0{40,}[0-9a-f]+$/.test(hash) ? Number(BigInt(hash)) : undefined),
    filters: () => FILTERS,
    dropFilter: () => false,
  });
}

const documented = access("documented");
const besu = access("besu-25.5");

function expectAllowed(run: () => readonly unknown[], params?: readonly unknown[]): void {
  const allowed = run();
  if (params !== undefined) expect(allowed).to.deep.equal(params);
}

function expectRefused(run: () => unknown, error: () => RpcError): void {
  expect(run)
    .to.throw(RpcError)
    .that.deep.includes(error().toJSON())
    .and.has.property("httpStatus", error().httpStatus);
}

describe("multi-tenancy removed-tenant rules", function () {
  describe("priv_call", function () {
    const call = (block: string) => [
      GROUP,
      { to: "0x000000000000000000000000000000000000007c", data: "0x5aa68ac0" },
      block,
    ];

    it("documented: a removed tenant may call up to and including its removal block, not after", function () {
      expectAllowed(() => documented.checkRequest("priv_call", call(hex(REMOVAL)), REMOVED));
      expectAllowed(() => documented.checkRequest("priv_call", call("earliest"), REMOVED));
      expectRefused(() => documented.checkRequest("priv_call", call(hex(REMOVAL + 1)), REMOVED), Errors.unauthorized);
      expectRefused(() => documented.checkRequest("priv_call", call("latest"), REMOVED), Errors.unauthorized);
    });

    it("besu-25.5: membership is read from the state after the block, so the removal block itself is refused", function () {
      expectAllowed(() => besu.checkRequest("priv_call", call(hex(REMOVAL - 1)), REMOVED));
      expectRefused(() => besu.checkRequest("priv_call", call(hex(REMOVAL)), REMOVED), Errors.unauthorized);
    });

    it("a later member sees the whole history under documented rules, but not blocks before its addition under besu-25.5", function () {
      expectAllowed(() => documented.checkRequest("priv_call", call(hex(3)), LATE));
      expectRefused(() => besu.checkRequest("priv_call", call(hex(3)), LATE), Errors.unauthorized);
      expectAllowed(() => besu.checkRequest("priv_call", call(hex(6)), LATE));
    });

    it("a never-member is refused at every block, in both modes", function () {
      for (const rules of [documented, besu]) {
        expectRefused(() => rules.checkRequest("priv_call", call(hex(5)), NEVER), Errors.unauthorized);
      }
    });

    it("a block the method refuses or has not reached is left to the method (an error or null, never data)", function () {
      expectAllowed(() => documented.checkRequest("priv_call", call("0xzz"), REMOVED));
      expectAllowed(() => documented.checkRequest("priv_call", call(hex(HEAD + 5)), REMOVED));
      expectAllowed(() => besu.checkRequest("priv_call", [GROUP, {}], NEVER));
    });
  });

  describe("priv_getLogs", function () {
    const logs = (filter: Record<string, unknown>) => [GROUP, filter];

    it("documented: clamps toBlock to the removal block, whatever was asked", function () {
      expectAllowed(
        () => documented.checkRequest("priv_getLogs", logs({ fromBlock: "0x0" }), REMOVED),
        logs({ fromBlock: "0x0", toBlock: hex(REMOVAL) }),
      );
      expectAllowed(() => documented.checkRequest("priv_getLogs", logs({}), REMOVED), logs({ toBlock: hex(REMOVAL) }));
      expectAllowed(
        () =>
          documented.checkRequest(
            "priv_getLogs",
            logs({ fromBlock: hex(REMOVAL), toBlock: "latest", address: PROXY }),
            REMOVED,
          ),
        logs({ fromBlock: hex(REMOVAL), toBlock: hex(REMOVAL), address: PROXY }),
      );
    });

    it("documented: a range that ends before the removal is left as it is", function () {
      const inside = logs({ fromBlock: "0x1", toBlock: hex(REMOVAL - 1) });
      expectAllowed(() => documented.checkRequest("priv_getLogs", inside, REMOVED), inside);
      const empty = logs({ fromBlock: hex(5), toBlock: hex(3) });
      expectAllowed(() => documented.checkRequest("priv_getLogs", empty, REMOVED), empty);
    });

    it("documented: refused when fromBlock is past the removal block", function () {
      expectRefused(
        () => documented.checkRequest("priv_getLogs", logs({ fromBlock: hex(REMOVAL + 1) }), REMOVED),
        Errors.unauthorized,
      );
      expectRefused(
        () => documented.checkRequest("priv_getLogs", logs({ fromBlock: "latest" }), REMOVED),
        Errors.unauthorized,
      );
    });

    it("members are never clamped", function () {
      const all = logs({ fromBlock: "earliest", toBlock: "latest" });
      expectAllowed(() => documented.checkRequest("priv_getLogs", all, OWNER), all);
      expectAllowed(() => besu.checkRequest("priv_getLogs", all, OWNER), all);
    });

    it("besu-25.5: a range is checked at the head, so a removed member gets nothing", function () {
      expectRefused(
        () => besu.checkRequest("priv_getLogs", logs({ fromBlock: "0x0", toBlock: hex(3) }), REMOVED),
        Errors.unauthorized,
      );
    });

    it("blockHash: allowed up to the removal block (documented) or before it (besu-25.5)", function () {
      expectAllowed(() => documented.checkRequest("priv_getLogs", logs({ blockHash: blockHash(REMOVAL) }), REMOVED));
      expectRefused(
        () => documented.checkRequest("priv_getLogs", logs({ blockHash: blockHash(REMOVAL + 1) }), REMOVED),
        Errors.unauthorized,
      );
      expectAllowed(() => besu.checkRequest("priv_getLogs", logs({ blockHash: blockHash(REMOVAL - 1) }), REMOVED));
      expectRefused(
        () => besu.checkRequest("priv_getLogs", logs({ blockHash: blockHash(REMOVAL) }), REMOVED),
        Errors.unauthorized,
      );
    });

    it("null fields mean absent, so a null blockHash cannot dodge the clamp", function () {
      expectAllowed(
        () =>
          documented.checkRequest("priv_getLogs", logs({ blockHash: null, fromBlock: null, toBlock: null }), REMOVED),
        logs({ blockHash: null, fromBlock: null, toBlock: hex(REMOVAL) }),
      );
    });

    it("a never-member gets no logs", function () {
      expectRefused(
        () => documented.checkRequest("priv_getLogs", logs({ fromBlock: "0x0", toBlock: "0x1" }), NEVER),
        Errors.unauthorized,
      );
    });
  });

  describe("filters", function () {
    const filterMethods = ["priv_newFilter", "priv_getFilterChanges", "priv_getFilterLogs", "priv_uninstallFilter"];

    it("a removed tenant may neither create nor use filters, in both modes", function () {
      for (const rules of [documented, besu]) {
        for (const method of filterMethods) {
          expectRefused(() => rules.checkRequest(method, [GROUP, "0x1"], REMOVED), Errors.unauthorized);
          expectAllowed(() => rules.checkRequest(method, [GROUP, "0x1"], OWNER));
        }
      }
    });

    it("documented: a filter is used only by its owner, through its own group; besu-25.5 reads any filter id", function () {
      for (const method of ["priv_getFilterChanges", "priv_getFilterLogs", "priv_uninstallFilter"]) {
        expectAllowed(() => documented.checkRequest(method, [GROUP, "0xA1"], OWNER));
        expectRefused(() => documented.checkRequest(method, [GROUP, "0xa1"], LATE), Errors.unauthorized);
        expectRefused(() => documented.checkRequest(method, [GROUP, "0xb1"], LATE), Errors.unauthorized);
        expectAllowed(() => besu.checkRequest(method, [GROUP, "0xb1"], LATE));
        // An unknown id is the method's own "not found".
        expectAllowed(() => documented.checkRequest(method, [GROUP, "0xff"], LATE));
      }
    });

    it("documented drops the removed tenant's filters at its removal; besu-25.5 drops none", function () {
      const filters = [
        { id: "0x1", tenantKey: REMOVED },
        { id: "0x2", tenantKey: OWNER },
        { id: "0x3", tenantKey: REMOVED },
      ];
      const removal = history[3];
      expect(documented.filtersToDrop(removal, filters)).to.deep.equal(["0x1", "0x3"]);
      expect(documented.filtersToDrop(history[0], filters)).to.deep.equal([]);
      expect(besu.filtersToDrop(removal, filters)).to.deep.equal([]);
    });
  });

  describe("transactions and receipts", function () {
    const read = (blockNumber: number, deliveredToTenant = true, privacyGroupId = GROUP) => ({
      privacyGroupId,
      blockNumber,
      deliveredToTenant,
    });

    it("documented shows a removed tenant blocks up to and including its removal, and a later member everything", function () {
      expect(documented.mayRead(read(REMOVAL), REMOVED)).to.equal(true);
      expect(documented.mayRead(read(REMOVAL + 1), REMOVED)).to.equal(false);
      expect(documented.mayRead(read(3), LATE)).to.equal(true);
      expect(documented.mayRead(read(3), NEVER)).to.equal(false);
    });

    it("besu-25.5 shows whatever the enclave delivered to the key, even after the removal block", function () {
      expect(besu.mayRead(read(REMOVAL + 1), REMOVED)).to.equal(true);
    });

    it("nothing the enclave did not deliver to the key, in both modes", function () {
      for (const rules of [documented, besu]) {
        expect(rules.mayRead(read(3, false), OWNER)).to.equal(false);
        expect(rules.mayRead(read(3, false, NEW_GROUP), OWNER)).to.equal(false);
        expect(rules.mayRead(read(3, true, NEW_GROUP), NEVER)).to.equal(true);
      }
    });

    it("the methods themselves are checked on their result, not before", function () {
      expectAllowed(() => documented.checkRequest("priv_getTransactionReceipt", ["0x" + "11".repeat(32)], NEVER));
    });
  });

  describe("sending", function () {
    const send = (tenant: string, extra: Partial<PrivateSend> = {}): PrivateSend => ({
      privateFrom: tenant,
      privacyGroupId: GROUP,
      addedKeys: [],
      ...extra,
    });

    it("current members send; removed and never-members get Besu's enclave error", function () {
      for (const rules of [documented, besu]) {
        expectAllowed(() => rules.checkRequest("eea_sendRawTransaction", [RAW], OWNER, send(OWNER)));
        expectRefused(() => rules.checkRequest("eea_sendRawTransaction", [RAW], REMOVED, send(REMOVED)), Errors.enclave);
        expectRefused(() => rules.checkRequest("priv_distributeRawTransaction", [RAW], NEVER, send(NEVER)), Errors.enclave);
      }
    });

    it("creating a group this node has no state for is allowed", function () {
      const create = send(NEVER, { privacyGroupId: NEW_GROUP, addedKeys: [NEVER, OWNER] });
      expectAllowed(() => documented.checkRequest("eea_sendRawTransaction", [RAW], NEVER, create));
      expectAllowed(() =>
        documented.checkRequest("priv_getTransactionCount", ["0x" + "00".repeat(20), NEW_GROUP], NEVER),
      );
    });

    it("an add naming the sender's own key: Besu lets a non-member send it, the documented rules do not", function () {
      const selfAdd = send(NEVER, { addedKeys: [NEVER] });
      expectAllowed(() => besu.checkRequest("eea_sendRawTransaction", [RAW], NEVER, selfAdd));
      expectRefused(() => documented.checkRequest("eea_sendRawTransaction", [RAW], NEVER, selfAdd), Errors.enclave);
    });

    it("priv_distributeRawTransaction's privateFrom must be the tenant's key", function () {
      expectRefused(
        () => documented.checkRequest("priv_distributeRawTransaction", [RAW], OWNER, send(LATE)),
        Errors.privateFromMismatch,
      );
      expectAllowed(() => documented.checkRequest("eea_sendRawTransaction", [RAW], OWNER, send(LATE)));
    });

    it("a transaction that does not decode is left to the method's own error", function () {
      expectAllowed(() => documented.checkRequest("eea_sendRawTransaction", ["0xnot-rlp"], NEVER));
    });
  });

  describe("other privacy methods", function () {
    it("a removed tenant gets nothing else: nonce, code, trace, state root", function () {
      for (const rules of [documented, besu]) {
        expectRefused(
          () => rules.checkRequest("priv_getTransactionCount", ["0x" + "00".repeat(20), GROUP], REMOVED),
          Errors.nonceUnknown,
        );
        expectRefused(() => rules.checkRequest("priv_getCode", [GROUP, PROXY, "0x1"], REMOVED), Errors.unauthorized);
        expectRefused(() => rules.checkRequest("priv_traceTransaction", [GROUP, "0x11"], REMOVED), Errors.unauthorized);
        expectRefused(
          () => rules.checkRequest("priv_debugGetStateRoot", [GROUP, "0x1"], REMOVED),
          Errors.findPrivacyGroup,
        );
      }
    });

    it("priv_debugGetStateRoot of a block before a member joined: documented allows, besu-25.5 refuses", function () {
      expectAllowed(() => documented.checkRequest("priv_debugGetStateRoot", [GROUP, hex(3)], LATE));
      expectRefused(() => besu.checkRequest("priv_debugGetStateRoot", [GROUP, hex(3)], LATE), Errors.unauthorized);
      expectAllowed(() => besu.checkRequest("priv_debugGetStateRoot", [GROUP, "latest"], LATE));
    });

    it("privx_findFlexiblePrivacyGroup must include the tenant's key", function () {
      expectRefused(
        () => documented.checkRequest("privx_findFlexiblePrivacyGroup", [[OWNER]], LATE),
        Errors.findFlexiblePrivacyGroup,
      );
      expectAllowed(() => documented.checkRequest("privx_findFlexiblePrivacyGroup", [[OWNER, LATE]], LATE));
      expectRefused(
        () => besu.checkRequest("privx_findOnchainPrivacyGroup", [[OWNER]], LATE),
        Errors.findFlexiblePrivacyGroup,
      );
    });

    it("priv_getEeaTransactionCount's privateFrom must be the tenant's key", function () {
      expectRefused(
        () => documented.checkRequest("priv_getEeaTransactionCount", ["0x00", OWNER, [LATE]], LATE),
        Errors.privateFromMismatch,
      );
      expectAllowed(() => documented.checkRequest("priv_getEeaTransactionCount", ["0x00", LATE, [OWNER]], LATE));
    });

    it("a group ID that is not 32 bytes of canonical base64 is refused rather than looked up", function () {
      for (const group of [GROUP.replace(/=$/, ""), Buffer.alloc(31).toString("base64"), 42, undefined]) {
        expectRefused(
          () => documented.checkRequest("priv_getCode", [group, PROXY, "latest"], OWNER),
          Errors.invalidPrivacyGroupParams,
        );
      }
    });

    it("methods without a group pass", function () {
      expectAllowed(() => documented.checkRequest("priv_getPrivacyPrecompileAddress", [], NEVER));
      expectAllowed(() => documented.checkRequest("eth_blockNumber", [], NEVER));
    });
  });
});
