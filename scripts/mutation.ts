/**
 * Mutation testing of the blob's contracts: SuMo's operators make the mutants, and this script runs the
 * management tests against each one (SuMo's own runner cannot start here: see reports/mutation/README.md).
 *
 *   npm run mutation                          every mutant, fresh
 *   npm run mutation -- --resume              keep the verdicts of results.json whose source is unchanged
 *   npm run mutation -- --budget 20           stop starting new mutants after 20 minutes
 *   npm run mutation -- --only m1a2b3c4d,...  just these mutants (e.g. to re-check survivors)
 *   npm run mutation -- --files contracts/proxy/FlexiblePrivacyGroupProxy.sol
 *   npm run mutation -- --operators TOR,BLR   only these SuMo operators (the others stay "not run")
 *   npm run mutation -- --report              rewrite README.md from results.json, run nothing
 *   npm run mutation -- --no-pretest          skip the green run of the original (it must pass, or every
 *                                             mutant would look killed)
 *
 * Each mutant is written into its source file (stopping a run midway leaves it there: `git checkout
 * contracts/`, then resume), the tests run with --bail (the genesis fixture builds the
 * blob from the mutated source), and the file is restored. A survivor is then compiled next to the
 * original: identical bytecode makes it equivalent (Trivial Compiler Equivalence). Verdicts go to
 * reports/mutation/results.json after every mutant, so a run cut short still leaves a report.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../src/hardhat/sources";
import { bytecodeOf } from "./lib/mutation/bytecode";
import {
  type MutantResult,
  type Results,
  RESULTS_FILE,
  type Status,
  readResults,
  writeReport,
  writeResults,
} from "./lib/mutation/report";
import { type Mutant, generateMutants } from "./lib/mutation/mutants";

/** The blob's sources: the contracts Besu injects and what they are built from. */
const DEFAULT_FILES = [
  "contracts/management/FlexiblePrivacyGroupManagement.sol",
  "contracts/management/ParticipantKeys.sol",
  "contracts/management/GroupStorage.sol",
  "contracts/proxy/FlexiblePrivacyGroupProxy.sol",
];

/**
 * The narrowest tests that exercise the contracts: every suite in test/contracts/, quick and targeted ones
 * first so that --bail stops early, the slow model test last. The genesis, export and deploy suites
 * compare bytes or files and would kill every mutant without telling anything.
 */
const TEST_DIR = "test/contracts";
const FIRST = ["mutants", "access-control", "version", "lifecycle", "ownership", "upgrade", "custom-management"];
const LAST = ["inputs", "model"];
/**
 * Suites of tools rather than of the contracts: the upgrade check compares layouts, not behaviour; the
 * genesis and deploy suites compare bytes and would kill every mutant without telling anything.
 */
const SKIPPED = ["upgrade-check", "genesis", "deploy"];

function testFiles(): string[] {
  const rank = (file: string) => {
    const name = path.basename(file, ".test.ts");
    if (FIRST.includes(name)) return FIRST.indexOf(name);
    if (LAST.includes(name)) return 100 + LAST.indexOf(name);
    return 50;
  };
  return fs
    .readdirSync(path.join(PACKAGE_ROOT, TEST_DIR))
    .filter((name) => name.endsWith(".test.ts") && !SKIPPED.includes(name.slice(0, -".test.ts".length)))
    .map((name) => `${TEST_DIR}/${name}`)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** A mutant whose tests run longer than this is "timedout" (a whole green run takes about 1.5 minutes). */
const TIMEOUT_MS = 10 * 60_000;

interface Options {
  files: string[];
  only?: Set<string>;
  operators?: Set<string>;
  budgetMinutes?: number;
  resume: boolean;
  reportOnly: boolean;
  pretest: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { files: DEFAULT_FILES, resume: false, reportOnly: false, pretest: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`mutation: ${flag} needs a value`);
      return next;
    };
    if (flag === "--files") options.files = value().split(",");
    else if (flag === "--only") options.only = new Set(value().split(","));
    else if (flag === "--operators") options.operators = new Set(value().split(","));
    else if (flag === "--budget") options.budgetMinutes = Number(value());
    else if (flag === "--resume") options.resume = true;
    else if (flag === "--report") options.reportOnly = true;
    else if (flag === "--no-pretest") options.pretest = false;
    else throw new Error(`mutation: unknown flag ${flag} (see the comment at the top of scripts/mutation.ts)`);
  }
  if (options.budgetMinutes !== undefined && !(options.budgetMinutes > 0)) {
    throw new Error("mutation: --budget takes a number of minutes above 0");
  }
  for (const file of options.files) {
    if (!fs.existsSync(path.join(PACKAGE_ROOT, file))) throw new Error(`mutation: ${file} does not exist`);
  }
  return options;
}

function hardhat(args: string[]): { status: number | null; output: string; timedOut: boolean } {
  const run = spawnSync("npx", ["hardhat", ...args], {
    cwd: PACKAGE_ROOT,
    encoding: "utf8",
    timeout: TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  const timedOut = (run.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT";
  return { status: run.status, output: `${run.stdout ?? ""}${run.stderr ?? ""}`, timedOut };
}

/** The first failing test's title and error in mocha's output: what killed the mutant, for the report. */
function firstFailure(output: string): string | undefined {
  const title = /^\s+1\) (.+)$/m.exec(output)?.[1]?.trim();
  const failing = output.indexOf(" failing");
  const error = failing < 0 ? undefined : /^\s+(\w*Error\b.*)$/m.exec(output.slice(failing))?.[1]?.trim();
  if (title === undefined) return error?.slice(0, 200);
  return error === undefined ? title : `${title}: ${error.slice(0, 200)}`;
}

/** Runs the tests against the mutant now in the tree; `compile` also rebuilds Hardhat's artifacts. */
function testMutant(compile: boolean): { status: Status; killedBy?: string } {
  const run = hardhat(["test", "--bail", ...(compile ? [] : ["--no-compile"]), ...testFiles()]);
  if (run.timedOut) return { status: "timedout" };
  if (run.status === 0) return { status: "live" };
  // The test build refuses a source that does not compile, or compiles with warnings (like the export).
  if (/HH600|solc reported:[\s\S]*Error:/.test(run.output)) return { status: "stillborn" };
  if (/solc reported:/.test(run.output)) return { status: "refused", killedBy: "the build refuses compiler warnings" };
  return { status: "killed", killedBy: firstFailure(run.output) };
}

/** Equivalent when the mutated source compiles to exactly the original bytecode (creation and runtime). */
function sameBytecode(mutant: Mutant, original: string): boolean {
  const mutated = mutant.apply(original);
  return bytecodeOf(mutant.file, mutated) === bytecodeOf(mutant.file, original);
}

function runOne(mutant: Mutant): MutantResult {
  const absolute = path.join(PACKAGE_ROOT, mutant.file);
  const original = fs.readFileSync(absolute, "utf8");
  const started = Date.now();
  const restore = () => fs.writeFileSync(absolute, original);
  let verdict: { status: Status; killedBy?: string };
  let rebuilt = false;
  try {
    fs.writeFileSync(absolute, mutant.apply(original));
    // First on the genesis blob, which the fixture builds from the mutated source; a survivor again with
    // Hardhat's artifacts rebuilt, which deployments (the proxy's constructor, the example V2) use.
    verdict = testMutant(false);
    if (verdict.status === "live") {
      rebuilt = true;
      verdict = testMutant(true);
    }
  } finally {
    restore();
  }
  // The artifacts now hold the mutant: rebuild them from the original, or the next mutant's first stage
  // would deploy this one.
  if (rebuilt && hardhat(["compile", "--quiet"]).status !== 0) throw new Error("mutation: the restored sources do not compile");
  if (verdict.status === "live" && sameBytecode(mutant, original)) {
    verdict = { status: "equivalent", killedBy: "identical bytecode (TCE)" };
  }
  return { ...mutant.describe(), ...verdict, seconds: Math.round((Date.now() - started) / 1000) };
}

function main(): number {
  const options = parseOptions(process.argv.slice(2));
  if (options.reportOnly) {
    writeReport(readResults());
    return 0;
  }
  const previous = options.resume || options.only !== undefined ? readResults() : undefined;
  const files = [...new Set([...(previous?.files ?? []).map((f) => f.file), ...options.files])].filter((file) =>
    fs.existsSync(path.join(PACKAGE_ROOT, file)),
  );
  const all = generateMutants(files);
  const mutants = all.filter(
    (m) =>
      options.files.includes(m.file) &&
      (options.only === undefined || options.only.has(m.id)) &&
      (options.operators?.has(m.operator) ?? true),
  );
  // A verdict carries over to the mutant at the same place in the same code (comments may differ).
  const verdicts = new Map<string, MutantResult>();
  for (const r of previous?.mutants ?? []) verdicts.set(`${r.file}|${r.sourceHash}|${r.index}|${r.operator}|${r.original}|${r.replace}`, r);
  const results: Results = {
    tool: "@morenabarboni/sumo operators (minimal rules), run by scripts/mutation.ts",
    tests: testFiles(),
    files: files.map((file) => ({ file, sourceHash: all.find((m) => m.file === file)?.describe().sourceHash ?? "" })),
    mutants: [],
    runSeconds: previous?.runSeconds ?? 0,
  };
  const byId = new Map<string, MutantResult>();
  const done = new Set<string>();
  for (const mutant of all) {
    const d = mutant.describe();
    const earlier = verdicts.get(`${d.file}|${d.sourceHash}|${d.index}|${d.operator}|${d.original}|${d.replace}`);
    const rerun = options.only?.has(d.id) === true && !options.resume;
    if (earlier !== undefined && earlier.status !== "not run" && !rerun) {
      byId.set(d.id, { ...d, status: earlier.status, killedBy: earlier.killedBy, seconds: earlier.seconds });
      done.add(d.id);
    } else {
      byId.set(d.id, { ...d, status: "not run", seconds: 0 });
    }
  }
  results.mutants = [...byId.values()];

  console.log(`mutation: ${mutants.length} mutants, ${done.size} already judged; compiling the original`);
  if (hardhat(["compile", "--quiet"]).status !== 0) throw new Error("mutation: the original contracts do not compile");
  if (options.pretest && testMutant(false).status !== "live") {
    throw new Error("mutation: the tests fail on the original contracts; fix them first, or every mutant would look killed");
  }
  const started = Date.now();
  const deadline = options.budgetMinutes === undefined ? Infinity : started + options.budgetMinutes * 60_000;
  for (const mutant of mutants) {
    if (done.has(mutant.id)) continue;
    if (Date.now() > deadline) {
      console.log(`mutation: budget of ${options.budgetMinutes} minutes spent; the rest stay "not run"`);
      break;
    }
    const result = runOne(mutant);
    byId.set(mutant.id, result);
    results.mutants = [...byId.values()];
    results.runSeconds += result.seconds;
    writeResults(results);
    console.log(`${mutant.id} ${mutant.file}:${mutant.line} ${mutant.operator} → ${result.status} (${result.seconds}s)`);
  }
  // Leave Hardhat's artifacts built from the restored sources.
  hardhat(["compile", "--quiet"]);
  writeResults(results);
  const unexplained = writeReport(results);
  const notRun = results.mutants.filter((r) => r.status === "not run").length;
  console.log(`mutation: results in ${path.relative(PACKAGE_ROOT, RESULTS_FILE)}; report in reports/mutation/README.md`);
  if (unexplained > 0) console.error(`mutation: ${unexplained} survivors are neither killed nor explained`);
  if (notRun > 0) console.error(`mutation: ${notRun} mutants not run yet (npm run mutation -- --resume)`);
  return unexplained > 0 || notRun > 0 ? 1 : 0;
}

process.exitCode = main();
