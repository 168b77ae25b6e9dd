/**
 * The main job: the files of genesis/ as a fresh build of the blob makes them, writing them, and
 * comparing them with the committed ones. The `fpg:export` task (tasks/export.ts beside this file) runs it:
 *   npm run export             write the files (and remove any file the export does not make)
 *   npm run export -- --check  fail with a diff when the committed files differ from a fresh build
 */
import fs from "node:fs";
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import { keccak256 } from "ethers";
import { makeAlloc } from "./alloc";
import { GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../core/constants";
import type { BlobBuild } from "./build";
import { SOLC_VERSION } from "./compiler";
import { GENESIS_DIR, displayPath } from "./genesis-file";
import { UserError } from "./user-error";
import { javaSource } from "./java";
import { namespacesSnapshot, readLayout, typesSnapshot } from "./storage-layout";
import { toLf } from "./sources";

export { GENESIS_DIR };

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Every file of genesis/, by name, as a fresh build makes it. */
export function genesisFiles(build: BlobBuild): Record<string, string> {
  const { management, proxy } = build.contracts;
  const describe = (address: string, runtime: string, c: typeof management) => ({
    contract: c.name,
    source: c.source,
    address,
    size: (runtime.length - 2) / 2,
    codeHash: keccak256(runtime),
  });
  const manifest = {
    compiler: { version: build.longVersion, settings: build.settings },
    contracts: {
      management: describe(GROUP_MANAGEMENT_ADDRESS, management.runtime, management),
      proxy: describe(GROUP_PROXY_ADDRESS, proxy.runtime, proxy),
    },
    sources: build.sourceHashes,
  };
  return {
    "alloc.json": json(makeAlloc(management.runtime, proxy.runtime)),
    [`${management.name}.runtime.hex`]: `${management.runtime}\n`,
    [`${proxy.name}.runtime.hex`]: `${proxy.runtime}\n`,
    "manifest.json": json(manifest),
    "storage-layout.json": json({
      management: { ...layoutSnapshot(management.storageLayout), ...namespacedLayout(build) },
      proxy: layoutSnapshot(proxy.storageLayout),
    }),
    "FlexibleGroupManagement.java": javaSource({
      managementRuntime: management.runtime,
      proxyRuntime: proxy.runtime,
      managementAbi: management.abi,
      compiler: build.longVersion,
    }),
  };
}

interface SolcStorageLayout {
  storage: { astId?: number; [field: string]: unknown }[];
  types: unknown;
}

/** The compiler's storage layout without AST ids, which shift whenever any source changes. */
function layoutSnapshot(layout: unknown): SolcStorageLayout {
  const { storage, types } = layout as SolcStorageLayout;
  return { storage: storage.map(({ astId: _astId, ...slot }) => slot), types };
}

/**
 * The management contract's ERC-7201 namespaces as OpenZeppelin's upgrades-core reads them (the same
 * reading the upgrade check compares candidates with), and the types of their members.
 */
function namespacedLayout(build: BlobBuild) {
  const { source, name } = build.contracts.management;
  const { layout } = readLayout(build.solcInput as never, build.solcOutput as never, SOLC_VERSION, `${source}:${name}`);
  return { namespaces: namespacesSnapshot(layout), namespaceTypes: typesSnapshot(layout) };
}

/** Long hex lines folded so that a diff shows where they differ, not one 10 kB line. */
const foldForDiff = (text: string): string => text.replace(/[0-9a-f]{64}/g, (chunk) => `${chunk}\n`);

/** How one file of genesis/ stands against a fresh build. */
type FileState = "same" | "differs" | "invalid JSON" | "missing" | "stray";

interface GenesisRow {
  name: string;
  state: FileState;
  committed?: string;
}

/** Each file of `dir` and of `files` with its state; CRLF line ends count as LF (a Windows checkout). */
function compareGenesis(files: Record<string, string>, dir: string): GenesisRow[] {
  const present = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const rows: GenesisRow[] = present.filter((n) => !Object.hasOwn(files, n)).map((name) => ({ name, state: "stray" }));
  for (const [name, fresh] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) {
      rows.push({ name, state: "missing" });
      continue;
    }
    const committed = toLf(fs.readFileSync(file, "utf8"));
    let state: FileState = committed === fresh ? "same" : "differs";
    if (state === "differs" && name.endsWith(".json") && !isJson(committed)) state = "invalid JSON";
    rows.push({ name, state, committed });
  }
  return rows;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const EXPLAIN: Record<Exclude<FileState, "same">, string> = {
  differs: "differs from the build of the current source",
  "invalid JSON": "is not valid JSON",
  missing: "is missing",
  stray: "is not made by the export (the export removes it)",
};

/** The differences between genesis/ on disk and `files`, as unified diffs; empty when identical. */
export function driftReport(files: Record<string, string>, dir = GENESIS_DIR): string[] {
  const reports: string[] = [];
  for (const { name, state, committed } of compareGenesis(files, dir)) {
    if (state === "same") continue;
    if (state !== "differs" || committed === undefined) reports.push(`genesis/${name} ${EXPLAIN[state]}`);
    else
      reports.push(
        createTwoFilesPatch(`committed/genesis/${name}`, `fresh/genesis/${name}`, foldForDiff(committed), foldForDiff(files[name])),
      );
  }
  return reports;
}

/**
 * One line naming every file of genesis/ that a fresh build would change, and what to do; undefined when
 * genesis/ is up to date. The test loop fails with it instead of an 8 kB hex diff.
 */
export function driftLine(files: Record<string, string>, dir = GENESIS_DIR): string | undefined {
  const off = compareGenesis(files, dir).filter((row) => row.state !== "same");
  if (off.length === 0) return undefined;
  const named = off.map(({ name, state }) => `genesis/${name} ${EXPLAIN[state as Exclude<FileState, "same">]}`);
  return `${named.join("; ")}: run \`npm run export\` and commit genesis/`;
}

/**
 * Writes `files` to `dir`. With `removeStray` (the package's own genesis/) it removes every other file
 * there, so that --check passes afterwards; otherwise a file it does not make is refused, not removed.
 */
export function writeGenesis(
  files: Record<string, string>,
  dir = GENESIS_DIR,
  { removeStray = true }: { removeStray?: boolean } = {},
): { written: string[]; removed: string[] } {
  const stray = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => !Object.hasOwn(files, name)) : [];
  if (stray.length > 0 && !removeStray) {
    throw new UserError(
      `fpg:export: ${displayPath(dir)} holds ${stray.join(", ")}, which the export does not make; give --out an empty or new folder`,
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const name of stray) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return { written: Object.keys(files), removed: stray };
}
