/**
 * Gas benchmark of the blob built from the current source (the export's build), by the method of the
 * Besu gas anchor: Hardhat network at London, the two runtime codes injected as Besu injects them,
 * pseudo-random keys, every call through the proxy. Prints the figures beside Besu 25.5.0's and the
 * goals, and writes snapshots/gas.json. The `fpg:bench` task (scripts/bench-task.ts) runs it:
 *   npm run bench             measure, print, write the snapshot
 *   npm run bench -- --check  measure, print, fail when genesis/ is behind the source, a goal is short
 *                             or the snapshot differs
 */
import fs from "node:fs";
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import { ZeroAddress, type ContractTransactionResponse } from "ethers";
import { injectAlloc } from "../src/hardhat/alloc";
import { GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../src/core/constants";
import { makeAlloc, type GenesisAlloc } from "../src/hardhat/alloc";
import { currentBlob } from "../src/hardhat/build";
import { UserError } from "../src/hardhat/user-error";
import { TARGET_HARDFORK } from "./lib/hardfork";
import { driftLine, genesisFiles } from "../src/hardhat/export";
import { EC_KEY_LENGTH, NACL_KEY_LENGTH, pseudoRandomKeys } from "../src/hardhat/trial-keys";
import { PACKAGE_ROOT, toLf } from "../src/hardhat/sources";
import { PrivateTransactionRevertedError, decodeRevert } from "../src/besu/errors";
import { FlexiblePrivacyGroupManagement__factory, FlexiblePrivacyGroupProxy__factory } from "../typechain-types";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
// Types only: the plugins themselves load through hardhat.config.ts.
import type {} from "@nomicfoundation/hardhat-toolbox";

/** The environment of the running `fpg:bench` task. */
let hre: HardhatRuntimeEnvironment;

const SNAPSHOT_FILE = path.join(PACKAGE_ROOT, "snapshots", "gas.json");
const MANAGEMENT_ABI = FlexiblePrivacyGroupManagement__factory.createInterface();
const BESU_VIEW_GAS = 3_000_000;
const UPGRADE_TARGET = "0x00000000000000000000000000000000000b1ab0";
/** A transaction gas cap (EIP-7825's 2^24) and the anchor's block gas limit. */
const GAS_LIMITS = { tx_cap_16M: 16_777_216, block_30M: 30_000_000 };

/**
 * Besu 25.5.0's blob measured by this file's method, and this project's goals. Besu's blob is not in the
 * repository, so its figures are recorded here; docs/benchmarks.md ("Where Besu's figures come from") says how.
 */
const ANCHOR: Record<string, { besu: number; goal: number; atLeast?: true; plusFreshSlot?: true }> = {
  create_2_nacl: { besu: 248_337, goal: 170_000, plusFreshSlot: true },
  create_100_nacl: { besu: 7_683_526, goal: 5_000_000, plusFreshSlot: true },
  lock_add1_to_100_nacl: { besu: 647_494, goal: 120_000 },
  remove_1_of_101_nacl: { besu: 551_779, goal: 60_000 },
  getParticipants_100_nacl: { besu: 740_930, goal: 300_000 },
  upgrade_with_100_nacl: { besu: 8_419_054, goal: 100_000 },
  create_100_ec: { besu: 12_310_455, goal: 9_500_000, plusFreshSlot: true },
  lock_add1_to_100_ec: { besu: 1_131_886, goal: 180_000 },
  remove_1_of_101_ec: { besu: 998_438, goal: 80_000 },
  getParticipants_100_ec: { besu: 1_228_141, goal: 750_000 },
  runtime_bytes: { besu: 11_334, goal: 6_000 },
  max_members_3M_view_nacl: { besu: 400, goal: 1_000, atLeast: true },
  max_members_3M_view_ec: { besu: 240, goal: 400, atLeast: true },
};

async function group() {
  const [signer] = await hre.ethers.getSigners();
  return FlexiblePrivacyGroupManagement__factory.connect(GROUP_PROXY_ADDRESS, signer);
}

/** The blob the bench measures: built from the current source, as the export builds it. */
function allocFromSource(): GenesisAlloc {
  const { management, proxy } = currentBlob().contracts;
  return makeAlloc(management.runtime, proxy.runtime);
}

/** A fresh chain with the blob injected, nothing else. */
async function freshGenesis(): Promise<void> {
  await hre.network.provider.send("hardhat_reset", []);
  await injectAlloc(hre.ethers.provider, allocFromSource());
}

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return Number(receipt.gasUsed);
}

/** Grows the group to `size` keys (creating it if needed) in batches, returning every key in order. */
async function growTo(keys: string[], size: number, label: string, keyLength: number): Promise<string[]> {
  const g = await group();
  while (keys.length < size) {
    const batch = pseudoRandomKeys(label, keys.length, Math.min(200, size - keys.length), keyLength);
    if (keys.length > 0) await gasOf(g.lock());
    await gasOf(g.addParticipants(batch));
    keys.push(...batch);
  }
  return keys;
}

async function lockAndAddOne(keys: string[], label: string, keyLength: number): Promise<number> {
  const g = await group();
  const [key] = pseudoRandomKeys(label, keys.length, 1, keyLength);
  keys.push(key);
  return (await gasOf(g.lock())) + (await gasOf(g.addParticipants([key])));
}

async function removeFirst(keys: string[]): Promise<number> {
  const g = await group();
  const [first] = keys.splice(0, 1);
  return gasOf(g.removeParticipant(first));
}

async function upgradeToFreshCopy(): Promise<number> {
  const [signer] = await hre.ethers.getSigners();
  const code = await hre.ethers.provider.getCode(GROUP_MANAGEMENT_ADDRESS);
  await hre.network.provider.send("hardhat_setCode", [UPGRADE_TARGET, code]);
  return gasOf(FlexiblePrivacyGroupProxy__factory.connect(GROUP_PROXY_ADDRESS, signer).upgradeTo(UPGRADE_TARGET));
}

/** Besu's membership read: getParticipants() through the proxy, from address(0). */
const BESU_READ = {
  from: ZeroAddress,
  to: GROUP_PROXY_ADDRESS,
  data: MANAGEMENT_ABI.encodeFunctionData("getParticipants"),
};

async function readGas(): Promise<number> {
  return Number(await hre.ethers.provider.estimateGas(BESU_READ));
}

async function readFitsBesuLimit(): Promise<boolean> {
  try {
    await hre.ethers.provider.call({ ...BESU_READ, gasLimit: BESU_VIEW_GAS });
    return true;
  } catch {
    return false;
  }
}

/** The anchor's sequence for one key type: create 100, read 100, lock + add 1, remove the first, upgrade. */
async function anchorFigures(kind: "nacl" | "ec", keyLength: number, figures: Record<string, number>) {
  await freshGenesis();
  const g = await group();
  const keys = pseudoRandomKeys(kind, 0, 100, keyLength);
  figures[`create_100_${kind}`] = await gasOf(g.addParticipants(keys));
  figures[`getParticipants_100_${kind}`] = await readGas();
  figures[`lock_add1_to_100_${kind}`] = await lockAndAddOne(keys, kind, keyLength);
  figures[`remove_1_of_101_${kind}`] = await removeFirst(keys);
  if (kind === "nacl") figures.upgrade_with_100_nacl = await upgradeToFreshCopy();
}

/**
 * The largest group, in steps of `step` keys, whose getParticipants() fits Besu's 3,000,000 gas. Growth
 * ends where the read stops fitting or where the contract refuses to grow (GroupTooLarge), which it
 * does before a group gets too large to read.
 */
async function largestReadableGroup(
  label: string,
  keyLength: number,
  step: number,
): Promise<{ members: number; readGas?: number }> {
  await freshGenesis();
  const keys: string[] = [];
  for (let members = 0; ; members = keys.length) {
    try {
      await growTo(keys, keys.length + step, label, keyLength);
    } catch (error) {
      // Refused at the contract's cap: the group is still at `members`, so its read can be measured.
      const decoded = decodeRevert(error);
      if (decoded instanceof PrivateTransactionRevertedError && decoded.errorName === "GroupTooLarge") {
        return { members, readGas: await readGas() };
      }
      throw error;
    }
    if (!(await readFitsBesuLimit())) return { members };
  }
}

/** Estimated gas of adding `count` keys to the group in one addParticipants, or Infinity if it fails. */
async function addGas(label: string, count: number, keyLength: number): Promise<number> {
  const data = MANAGEMENT_ABI.encodeFunctionData("addParticipants", [
    pseudoRandomKeys(label, 1_000_000, count, keyLength),
  ]);
  const [signer] = await hre.ethers.getSigners();
  try {
    return Number(await hre.ethers.provider.estimateGas({ from: signer.address, to: GROUP_PROXY_ADDRESS, data }));
  } catch {
    return Infinity;
  }
}

/** The most keys one addParticipants can take under `limit` gas (binary search on estimates). */
async function largestBatch(label: string, keyLength: number, limit: number): Promise<number> {
  let fits = 1;
  let tooMany = 4_096;
  while (tooMany - fits > 1) {
    const middle = Math.floor((fits + tooMany) / 2);
    if ((await addGas(label, middle, keyLength)) <= limit) fits = middle;
    else tooMany = middle;
  }
  return fits;
}

/** Keys one transaction can add, at creation and to a locked group of 100, under each gas limit. */
async function batchLimits(): Promise<Record<string, Record<string, number>>> {
  const rows: Record<string, Record<string, number>> = {};
  for (const [kind, keyLength] of [
    ["nacl", NACL_KEY_LENGTH],
    ["ec", EC_KEY_LENGTH],
  ] as const) {
    for (const [limitName, limit] of Object.entries(GAS_LIMITS)) {
      await freshGenesis();
      const create = await largestBatch(`batch-${kind}`, keyLength, limit);
      await growTo([], 100, `batch-base-${kind}`, keyLength);
      await gasOf((await group()).lock());
      rows[`${kind}_${limitName}`] = { create, add_to_100: await largestBatch(`batch-${kind}`, keyLength, limit) };
    }
  }
  return rows;
}

async function scaling(sizes: number[]): Promise<Record<string, Record<string, number>>> {
  const rows: Record<string, Record<string, number>> = {};
  for (const size of sizes) {
    await freshGenesis();
    const keys = await growTo([], size, "scale", NACL_KEY_LENGTH);
    const lockAdd = await lockAndAddOne(keys, "scale", NACL_KEY_LENGTH);
    const remove = await removeFirst(keys);
    rows[String(size)] = { lock_add1: lockAdd, remove_1: remove, upgrade: await upgradeToFreshCopy() };
  }
  return rows;
}

const fmt = (n: number): string => n.toLocaleString("en-US");

/**
 * The gas of one fresh storage slot (a zero-to-non-zero SSTORE of a cold slot). A creation goal allows it
 * on top: the group header takes two slots since the version grew to 216 bits (GroupStorage.Group), and
 * creating a group writes both.
 */
const FRESH_SLOT_GAS = 22_100;

/** The figure a goal allows: the goal, plus one fresh slot for a creation. */
const allowed = (name: string): number => ANCHOR[name].goal + (ANCHOR[name].plusFreshSlot ? FRESH_SLOT_GAS : 0);

const meetsGoal = (name: string, ours: number): boolean =>
  ANCHOR[name].atLeast ? ours >= allowed(name) : ours <= allowed(name);

function printFigures(figures: Record<string, number>): void {
  const rows = Object.entries(ANCHOR).map(([name, { besu, goal, atLeast, plusFreshSlot }]) => {
    const ours = figures[name];
    const verdict = meetsGoal(name, ours) ? "met" : "SHORT";
    const bound = `${atLeast ? "≥" : "≤"} ${fmt(goal)}${plusFreshSlot ? ` + ${fmt(FRESH_SLOT_GAS)}` : ""}`;
    return [name, fmt(ours), fmt(besu), (ours / besu).toFixed(3), bound, verdict];
  });
  printTable(["figure", "this blob", "Besu 25.5.0", "ratio", "goal", ""], rows);
}

function printScaling(rows: Record<string, Record<string, number>>): void {
  const ops = Object.keys(Object.values(rows)[0]);
  const table = ops.map((op) => {
    const values = Object.values(rows).map((r) => r[op]);
    const spread = (Math.max(...values) / Math.min(...values) - 1) * 100;
    return [op, ...values.map(fmt), `${spread.toFixed(1)}%`];
  });
  printTable(["NaCl group of", ...Object.keys(rows), "spread"], table);
}

function printBatches(rows: Record<string, Record<string, number>>): void {
  const table = Object.entries(rows).map(([name, r]) => [name, fmt(r.create), fmt(r.add_to_100)]);
  printTable(["keys in one transaction", "create", "add to 100"], table);
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  rows.forEach((r) => console.log(line(r)));
  console.log();
}

/** Measures, prints, and writes the snapshot, or with `check` compares it; refusals are UserErrors. */
export async function bench(env: HardhatRuntimeEnvironment, { check }: { check: boolean }): Promise<void> {
  hre = env;
  const hardfork = (hre.config.networks.hardhat as { hardfork?: string }).hardfork;
  if (hre.network.name !== "hardhat" || hardfork !== TARGET_HARDFORK) {
    throw new UserError(
      `the bench measures on the in-process network at ${TARGET_HARDFORK} (Besu's gas anchor); ` +
        `this run is on network ${hre.network.name} at ${hardfork ?? "?"}: drop --network and unset FPG_HARDFORK`,
    );
  }
  if (check) {
    // The figures are the source's; the committed blob must be that source's export, or they describe
    // a blob nobody ships. Checked first, because measuring takes minutes.
    const drift = driftLine(genesisFiles(currentBlob()));
    if (drift !== undefined) throw new UserError(`bench --check: ${drift}`);
  }
  const figures: Record<string, number> = {};
  await freshGenesis();
  figures.create_2_nacl = await gasOf((await group()).addParticipants(pseudoRandomKeys("nacl", 0, 2, NACL_KEY_LENGTH)));
  await anchorFigures("nacl", NACL_KEY_LENGTH, figures);
  await anchorFigures("ec", EC_KEY_LENGTH, figures);
  const alloc = allocFromSource();
  figures.runtime_bytes = Object.values(alloc).reduce((sum, account) => sum + (account.code.length - 2) / 2, 0);
  const largest = {
    nacl: await largestReadableGroup("max-nacl", NACL_KEY_LENGTH, 100),
    ec: await largestReadableGroup("max-ec", EC_KEY_LENGTH, 40),
  };
  figures.max_members_3M_view_nacl = largest.nacl.members;
  figures.max_members_3M_view_ec = largest.ec.members;
  for (const [kind, { readGas: gas }] of Object.entries(largest)) {
    if (gas !== undefined) figures[`getParticipants_at_cap_${kind}`] = gas;
  }
  const scale = await scaling([10, 100, 1_000]);
  const batches = await batchLimits();

  printFigures(figures);
  console.log(
    `getParticipants() of a full group (the contract's cap), against Besu's ${fmt(BESU_VIEW_GAS)}: ` +
      `${fmt(figures.getParticipants_at_cap_nacl)} NaCl, ${fmt(figures.getParticipants_at_cap_ec)} EC\n`,
  );
  printScaling(scale);
  printBatches(batches);

  const snapshot = `${JSON.stringify({ hardfork: TARGET_HARDFORK, figures, scaling: scale, batches }, null, 2)}\n`;
  if (check) {
    const short = Object.keys(ANCHOR).filter((name) => !meetsGoal(name, figures[name]));
    if (short.length > 0) throw new UserError(`bench --check: short of the goal: ${short.join(", ")}`);
    const committed = fs.existsSync(SNAPSHOT_FILE) ? toLf(fs.readFileSync(SNAPSHOT_FILE, "utf8")) : "";
    if (committed !== snapshot) {
      console.error(
        createTwoFilesPatch("committed/snapshots/gas.json", "measured/snapshots/gas.json", committed, snapshot),
      );
      throw new UserError(
        "bench --check: the current source's gas differs from snapshots/gas.json; if intended, run `npm run bench` and commit it",
      );
    }
    console.log("bench --check: the current source's gas matches snapshots/gas.json, and genesis/ is its export");
    return;
  }
  fs.mkdirSync(path.dirname(SNAPSHOT_FILE), { recursive: true });
  fs.writeFileSync(SNAPSHOT_FILE, snapshot);
  console.log(`wrote ${path.relative(PACKAGE_ROOT, SNAPSHOT_FILE)}`);
}
