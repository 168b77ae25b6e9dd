/**
 * The main job: builds the genesis blob from source and writes genesis/.
 *   npm run export             write the files
 *   npm run export -- --check  fail with a diff when the committed files differ from a fresh build
 */
import fs from "node:fs";
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import { keccak256 } from "ethers";
import { makeAlloc } from "./lib/alloc";
import { MANAGEMENT_ADDRESS, PROXY_ADDRESS } from "./lib/addresses";
import { buildBlob, type BlobBuild } from "./lib/build";
import { SOLC_VERSION } from "./lib/compiler";
import { javaSource } from "./lib/java";
import { namespacesSnapshot, readLayout, typesSnapshot } from "./lib/storage-layout";
import { ROOT } from "./lib/sources";

export const GENESIS_DIR = path.join(ROOT, "genesis");

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
      management: describe(MANAGEMENT_ADDRESS, management.runtime, management),
      proxy: describe(PROXY_ADDRESS, proxy.runtime, proxy),
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

/** The differences between genesis/ on disk and `files`, as unified diffs; empty when identical. */
export function driftReport(files: Record<string, string>, dir = GENESIS_DIR): string[] {
  const reports: string[] = [];
  const expected = new Set(Object.keys(files));
  const present = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  for (const name of present.filter((n) => !expected.has(n))) reports.push(`genesis/${name}: not made by the export`);
  for (const [name, fresh] of Object.entries(files)) {
    const file = path.join(dir, name);
    const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
    if (committed === fresh) continue;
    if (committed === null) {
      reports.push(`genesis/${name}: missing`);
      continue;
    }
    reports.push(
      createTwoFilesPatch(`committed/genesis/${name}`, `fresh/genesis/${name}`, foldForDiff(committed), foldForDiff(fresh)),
    );
  }
  return reports;
}

function main(argv: string[]): number {
  const unknown = argv.filter((a) => a !== "--check");
  if (unknown.length > 0) {
    console.error(`export: unknown argument ${unknown.join(" ")} (the only option is --check)`);
    return 2;
  }
  const files = genesisFiles(buildBlob());
  if (argv.includes("--check")) {
    const reports = driftReport(files);
    if (reports.length > 0) {
      console.error(reports.join("\n"));
      console.error("export --check: genesis/ differs from a fresh build; run `npm run export` and commit the result");
      return 1;
    }
    console.log(`export --check: genesis/ matches a fresh build (${Object.keys(files).length} files)`);
    return 0;
  }
  fs.mkdirSync(GENESIS_DIR, { recursive: true });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(GENESIS_DIR, name), content);
  const manifest = JSON.parse(files["manifest.json"]) as { contracts: Record<string, { contract: string; size: number; codeHash: string }> };
  for (const c of Object.values(manifest.contracts)) console.log(`${c.contract}: ${c.size} bytes, codeHash ${c.codeHash}`);
  console.log(`wrote ${Object.keys(files).length} files to genesis/`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
