import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { expect } from "chai";
import { type BaseContract, type Interface, ZeroAddress, ZeroHash, getAddress } from "ethers";
import hre from "hardhat";
import { GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../../src/core/constants";
import { NACL_KEY_LENGTH, pseudoRandomKey } from "../../src/hardhat/trial-keys";
import { FlexiblePrivacyGroupManagement__factory, FlexiblePrivacyGroupProxy__factory } from "../../typechain-types";
import { INITIAL_KEYS, createdGroupFixture, genesisFixture, upgradeTargets } from "../helpers/fixtures";
import { latestBlockHash, nextVersion } from "../helpers/version";
import {
  type GroupState,
  callAs,
  expectRefused,
  impersonate,
  snapshot,
  stateChangingFunctions,
  viewFunctions,
} from "../helpers/matrix";

const NEW_KEY = pseudoRandomKey("access-control", 0, NACL_KEY_LENGTH);
const IERC165_ID = "0x01ffc9a7";

/** A created group (three NaCl keys, unlocked), an upgrade target, and a funded address(0) signer. */
async function createdMatrixFixture() {
  const fixture = await loadFixture(createdGroupFixture);
  const { v2 } = await upgradeTargets(fixture.owner);
  return { ...fixture, v2: await v2.getAddress(), zero: await impersonate(ZeroAddress) };
}

/** The same before anyone created the group. */
async function freshMatrixFixture() {
  const fixture = { ...(await loadFixture(genesisFixture)), createdVersion: ZeroHash };
  const { v2 } = await upgradeTargets(fixture.owner);
  return { ...fixture, v2: await v2.getAddress(), zero: await impersonate(ZeroAddress) };
}

type Fixture = Awaited<ReturnType<typeof createdMatrixFixture>>;

/** How each ABI at the proxy refuses: which contract names the errors and emits the events. */
interface Surface {
  iface: Interface;
  contract(f: Fixture): BaseContract;
  /** The error for a caller that is not allowed, with the caller's address as its one argument. */
  unauthorized: string;
  /** The error when the owner sends the same calldata to the implementation at 0x…7b. */
  direct(selector: string): { name: string; args: unknown[] };
}

const SURFACES: Record<string, Surface> = {
  management: {
    iface: FlexiblePrivacyGroupManagement__factory.createInterface(),
    contract: (f) => f.group,
    unauthorized: "GroupUnauthorizedAccount",
    direct: () => ({ name: "GroupCalledDirectly", args: [] }),
  },
  proxy: {
    iface: FlexiblePrivacyGroupProxy__factory.createInterface(),
    contract: (f) => f.proxy,
    unauthorized: "ProxyUnauthorizedAccount",
    // The management contract has no upgradeTo: its fallback names the selector.
    direct: (selector) => ({ name: "GroupUnknownFunction", args: [selector] }),
  },
};

/** One state-changing function: how to call it validly and what the allowed call does. */
interface Row {
  /** What the owner does first so that only the caller's identity can make the call fail. */
  setup?(f: Fixture): Promise<unknown>;
  /** The one account allowed to call it: the owner, except the pending owner for acceptOwnership. */
  allowed?(f: Fixture): HardhatEthersSigner;
  args(f: Fixture): unknown[];
  event: { name: string; args(f: Fixture): unknown[] };
  /** The whole state after the allowed call, from the state just before it and the call itself. */
  expected(before: GroupState, f: Fixture, call: { data: string; parentHash: string }): GroupState;
}

/** The owner-only matrix, keyed "<abi>.<signature>"; a test fails when it and the ABIs disagree. */
const ROWS: Record<string, Row> = {
  "management.addParticipants(bytes[])": {
    setup: (f) => f.group.lock(),
    args: () => [[NEW_KEY]],
    event: { name: "ParticipantAdded", args: () => [true, NEW_KEY, ""] },
    expected: (before, _f, call) => ({
      ...before,
      participants: [...before.participants, NEW_KEY],
      version: nextVersion(before.version, call.parentHash, call.data),
      canExecute: true,
    }),
  },
  "management.removeParticipant(bytes)": {
    args: () => [INITIAL_KEYS[0]],
    event: { name: "ParticipantRemoved", args: () => [INITIAL_KEYS[0]] },
    expected: (before, _f, call) => ({
      ...before,
      // Swap and pop: the last key takes the removed key's place.
      participants: [INITIAL_KEYS[2], INITIAL_KEYS[1]],
      version: nextVersion(before.version, call.parentHash, call.data),
    }),
  },
  "management.lock()": {
    args: () => [],
    event: { name: "Locked", args: () => [] },
    expected: (before) => ({ ...before, canExecute: false }),
  },
  "management.unlock()": {
    setup: (f) => f.group.lock(),
    args: () => [],
    event: { name: "Unlocked", args: () => [] },
    expected: (before) => ({ ...before, canExecute: true }),
  },
  "management.transferOwnership(address)": {
    args: (f) => [f.newOwner.address],
    event: { name: "OwnershipTransferStarted", args: (f) => [f.owner.address, f.newOwner.address] },
    expected: (before, f) => ({ ...before, pendingOwner: f.newOwner.address }),
  },
  "management.acceptOwnership()": {
    setup: (f) => f.group.transferOwnership(f.newOwner.address),
    allowed: (f) => f.newOwner,
    args: () => [],
    event: { name: "OwnershipTransferred", args: (f) => [f.owner.address, f.newOwner.address] },
    expected: (before, f) => ({ ...before, owner: f.newOwner.address, pendingOwner: ZeroAddress }),
  },
  "management.cancelOwnershipTransfer()": {
    setup: (f) => f.group.transferOwnership(f.newOwner.address),
    args: () => [],
    event: { name: "OwnershipTransferCanceled", args: (f) => [f.owner.address, f.newOwner.address] },
    expected: (before) => ({ ...before, pendingOwner: ZeroAddress }),
  },
  "proxy.upgradeTo(address)": {
    args: (f) => [f.v2],
    event: { name: "Upgraded", args: (f) => [f.v2] },
    expected: (before, f) => ({ ...before, implementation: f.v2 }),
  },
};

function liveFunctions(select: typeof stateChangingFunctions) {
  return Object.entries(SURFACES).flatMap(([name, surface]) =>
    select(surface.iface).map((fragment) => ({ key: `${name}.${fragment.format("sighash")}`, surface, fragment })),
  );
}

describe("access control", function () {
  describe("the owner-only matrix, built from the management and proxy ABIs", function () {
    it("has a row for every state-changing function of both ABIs", function () {
      const missing = liveFunctions(stateChangingFunctions)
        .map(({ key }) => key)
        .filter((key) => !(key in ROWS));
      expect(missing, "state-changing functions without a row").to.deep.equal([]);
    });

    it("has no row for a function that no longer exists or is now a view", function () {
      const live = new Set(liveFunctions(stateChangingFunctions).map(({ key }) => key));
      expect(
        Object.keys(ROWS).filter((key) => !live.has(key)),
        "rows without a state-changing function",
      ).to.deep.equal([]);
    });

    for (const { key, surface, fragment } of liveFunctions(stateChangingFunctions)) {
      const row = ROWS[key];
      if (row === undefined) continue; // reported by the test above
      const allowedName = row.allowed ? "the pending owner" : "the owner";

      describe(key, function () {
        async function prepared() {
          const f = await loadFixture(createdMatrixFixture);
          await row.setup?.(f);
          const allowed = row.allowed?.(f) ?? f.owner;
          return { f, allowed, data: surface.iface.encodeFunctionData(fragment, row.args(f)) };
        }

        it(`refuses every account but ${allowedName}, address(0) included, naming it`, async function () {
          const { f, allowed, data } = await prepared();
          const others = [f.owner, f.other, f.newOwner, f.zero].filter(({ address }) => address !== allowed.address);
          expect(others).to.have.length(3);
          for (const account of others) {
            await expectRefused(
              f.group,
              () => account.sendTransaction({ to: GROUP_PROXY_ADDRESS, data }),
              surface.unauthorized,
              [account.address],
              surface.contract(f),
            );
          }
        });

        it(`refuses a contract that ${allowedName} calls, naming the contract`, async function () {
          const { f, allowed, data } = await prepared();
          await expectRefused(
            f.group,
            () => f.caller.connect(allowed).forward(GROUP_PROXY_ADDRESS, data),
            surface.unauthorized,
            [await f.caller.getAddress()],
            surface.contract(f),
          );
        });

        const direct = surface.direct(fragment.selector);
        it(`refuses ${allowedName} calling the implementation at 0x…7b directly (${direct.name})`, async function () {
          const { f, allowed, data } = await prepared();
          await expectRefused(
            f.group,
            () => allowed.sendTransaction({ to: GROUP_MANAGEMENT_ADDRESS, data }),
            direct.name,
            direct.args,
            f.implementation,
          );
          expect(await f.implementation.owner(), "the implementation got an owner").to.equal(ZeroAddress);
        });

        it(`lets ${allowedName} call it through the proxy: emits ${row.event.name} and changes the state`, async function () {
          const { f, allowed, data } = await prepared();
          const before = await snapshot(f.group);
          const expected = row.expected(before, f, { data, parentHash: await latestBlockHash() });
          expect(expected, "the row expects no state change").to.not.deep.equal(before);
          await expect(allowed.sendTransaction({ to: GROUP_PROXY_ADDRESS, data }))
            .to.emit(surface.contract(f), row.event.name)
            .withArgs(...row.event.args(f));
          expect(await snapshot(f.group)).to.deep.equal(expected);
        });
      });
    }
  });

  describe("canUpgrade()", function () {
    it("is true for the owner only: not for another account, a contract the owner calls, or address(0)", async function () {
      const { group, owner, other, caller, zero } = await loadFixture(createdMatrixFixture);
      const canUpgrade = group.interface.encodeFunctionData("canUpgrade");
      const callerAddress = await caller.getAddress();

      expect(await group.canUpgrade()).to.equal(true);
      expect(await group.connect(other).canUpgrade()).to.equal(false);
      expect(await group.connect(zero).canUpgrade()).to.equal(false);
      expect(await group.connect(hre.ethers.provider).canUpgrade({ from: ZeroAddress })).to.equal(false);
      expect(await group.connect(hre.ethers.provider).canUpgrade({ from: callerAddress })).to.equal(false);
      const [throughCaller] = group.interface.decodeFunctionResult(
        "canUpgrade",
        await caller.connect(owner).forward.staticCall(GROUP_PROXY_ADDRESS, canUpgrade),
      );
      expect(throughCaller, "a contract the owner calls may upgrade").to.equal(false);
    });

    it("is false for everyone, the future creator included, before the group exists", async function () {
      const { group, owner, other, zero } = await loadFixture(freshMatrixFixture);
      for (const account of [owner, other, zero]) {
        expect(await group.connect(account).canUpgrade(), account.address).to.equal(false);
      }
    });

    it("is false at the implementation address, even for the owner", async function () {
      const { implementation } = await loadFixture(createdMatrixFixture);
      expect(await implementation.canUpgrade()).to.equal(false);
    });
  });

  describe("views", function () {
    /** Each view's arguments and its value for the group state and the caller. */
    const VIEWS: Record<string, { args: unknown[]; expected(state: GroupState, from: string): unknown }> = {
      "management.canExecute()": { args: [], expected: (s) => s.canExecute },
      "management.canUpgrade()": { args: [], expected: (s, from) => s.owner !== ZeroAddress && from === s.owner },
      "management.getParticipants()": { args: [], expected: (s) => s.participants },
      "management.getVersion()": { args: [], expected: (s) => s.version },
      "management.owner()": { args: [], expected: (s) => s.owner },
      "management.pendingOwner()": { args: [], expected: (s) => s.pendingOwner },
      "management.supportsInterface(bytes4)": { args: [IERC165_ID], expected: () => true },
      "management.MAX_KEY_LENGTH()": { args: [], expected: () => 1_024n },
      "management.MAX_KEY_WORDS()": { args: [], expected: () => 1_200n },
      "proxy.implementation()": { args: [], expected: (s) => s.implementation },
    };

    it("has an entry for every view of both ABIs and none for a view that is gone", function () {
      const live = liveFunctions(viewFunctions).map(({ key }) => key);
      expect([...live].sort()).to.deep.equal(Object.keys(VIEWS).sort());
    });

    const phases: { name: string; load(): Promise<{ f: Fixture; state: GroupState }> }[] = [
      {
        name: "before the group exists",
        load: async () => ({
          f: await loadFixture(freshMatrixFixture),
          state: {
            participants: [],
            version: ZeroHash,
            canExecute: false,
            owner: ZeroAddress,
            pendingOwner: ZeroAddress,
            implementation: getAddress(GROUP_MANAGEMENT_ADDRESS),
          },
        }),
      },
      {
        name: "after creation",
        load: async () => {
          const f = await loadFixture(createdMatrixFixture);
          const state = {
            participants: INITIAL_KEYS,
            version: f.createdVersion,
            canExecute: true,
            owner: f.owner.address,
            pendingOwner: ZeroAddress,
            implementation: getAddress(GROUP_MANAGEMENT_ADDRESS),
          };
          return { f, state };
        },
      },
      {
        name: "while locked with a transfer pending",
        load: async () => {
          const f = await loadFixture(createdMatrixFixture);
          await f.group.lock();
          await f.group.transferOwnership(f.newOwner.address);
          const state = {
            participants: INITIAL_KEYS,
            version: f.createdVersion,
            canExecute: false,
            owner: f.owner.address,
            pendingOwner: f.newOwner.address,
            implementation: getAddress(GROUP_MANAGEMENT_ADDRESS),
          };
          return { f, state };
        },
      },
    ];

    for (const phase of phases) {
      it(`answers anyone, address(0) included, with 3,000,000 gas, ${phase.name}`, async function () {
        const { f, state } = await phase.load();
        const callers = [
          ZeroAddress,
          f.other.address,
          f.owner.address,
          f.newOwner.address,
          await f.caller.getAddress(),
        ];
        for (const { key, surface, fragment } of liveFunctions(viewFunctions)) {
          const view = VIEWS[key];
          expect(view, `no entry for ${key}`).to.not.equal(undefined);
          for (const from of callers) {
            expect(
              await callAs(from, GROUP_PROXY_ADDRESS, surface.iface, fragment, view.args),
              `${key} from ${from}`,
            ).to.deep.equal(view.expected(state, from));
          }
        }
      });
    }
  });

  describe("a group nobody created yet", function () {
    /** Where a fresh group answers something other than "not the owner". */
    const FRESH_ERRORS: Record<string, string> = {
      "management.acceptOwnership()": "OwnershipNoPendingTransfer", // nothing can be pending yet
    };
    const CREATES = "management.addParticipants(bytes[])"; // the one call a fresh group takes

    for (const { key, surface, fragment } of liveFunctions(stateChangingFunctions)) {
      const row = ROWS[key];
      if (key === CREATES || row === undefined) continue;
      it(`refuses ${key} from anyone: its future creator, others, address(0), a contract`, async function () {
        const f = await loadFixture(freshMatrixFixture);
        const data = surface.iface.encodeFunctionData(fragment, row.args(f));
        const callerAddress = await f.caller.getAddress();
        const attempts = [
          ...[f.owner, f.other, f.newOwner, f.zero].map((account) => ({
            from: account.address,
            send: () => account.sendTransaction({ to: GROUP_PROXY_ADDRESS, data }),
          })),
          { from: callerAddress, send: () => f.caller.connect(f.owner).forward(GROUP_PROXY_ADDRESS, data) },
        ];
        for (const { from, send } of attempts) {
          const name = FRESH_ERRORS[key] ?? surface.unauthorized;
          await expectRefused(f.group, send, name, name === surface.unauthorized ? [from] : [], surface.contract(f));
        }
      });
    }

    it("can not be created by address(0), and a refused creation leaves it open to its real creator", async function () {
      const { group, owner, zero } = await loadFixture(freshMatrixFixture);
      await expectRefused(group, () => group.connect(zero).addParticipants(INITIAL_KEYS), "GroupUnauthorizedAccount", [
        ZeroAddress,
      ]);
      await expect(group.connect(owner).addParticipants(INITIAL_KEYS)).to.emit(group, "ParticipantAdded");
      expect(await group.owner()).to.equal(owner.address);
      expect(await group.getParticipants()).to.deep.equal(INITIAL_KEYS);
    });

    it("can not be locked by address(0)", async function () {
      const { group, zero } = await loadFixture(freshMatrixFixture);
      await expectRefused(group, () => group.connect(zero).lock(), "GroupUnauthorizedAccount", [ZeroAddress]);
    });

    it("can not be created through a contract: on Besu an owner must sign, so it names the contract", async function () {
      const { group, owner, caller } = await loadFixture(freshMatrixFixture);
      const data = group.interface.encodeFunctionData("addParticipants", [INITIAL_KEYS]);
      const callerAddress = await caller.getAddress();
      await expectRefused(group, () => caller.connect(owner).forward(GROUP_PROXY_ADDRESS, data), "GroupOwnerNotSigner", [
        callerAddress,
      ]);
      await expect(owner.sendTransaction({ to: GROUP_PROXY_ADDRESS, data })).to.emit(group, "ParticipantAdded");
      expect(await group.owner()).to.equal(owner.address);
    });
  });
});
