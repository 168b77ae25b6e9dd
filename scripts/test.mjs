// `npm test [-- <files and mocha options>]`: the suite at London (the blob's EVM), then the contract
// suites (test/contracts/) again at the newest hardfork Hardhat runs. Files given on the command line narrow
// both passes; the second pass runs only those of them that belong to it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { URL, fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HARDHAT = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");

/** The suites whose contracts behaviour must not depend on the hardfork: every suite of test/contracts/. */
function newestPassFiles() {
  return fs
    .readdirSync(path.join(ROOT, "test", "contracts"))
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => path.join("test", "contracts", name))
    .sort();
}

function hardhatTest(args, env) {
  const result = spawnSync(process.execPath, [HARDHAT, "test", ...args], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  return result.status ?? 1;
}

const args = process.argv.slice(2);
const isFile = (arg) => !arg.startsWith("-") && fs.existsSync(path.resolve(ROOT, arg));
const files = args.filter(isFile);
const options = args.filter((arg) => !isFile(arg));
for (const missing of args.filter((arg) => /\.test\.ts$/.test(arg) && !isFile(arg))) {
  console.error(`npm test: no such test file ${missing}`);
  process.exit(2);
}

let status = hardhatTest(args, {});
if (status === 0) {
  const newest = newestPassFiles();
  const wanted = files.length === 0 ? newest : files.map((f) => path.relative(ROOT, path.resolve(ROOT, f))).filter((f) => newest.includes(f));
  if (wanted.length > 0) status = hardhatTest(["--no-compile", ...options, ...wanted], { FPG_HARDFORK: "newest" });
  else console.log("npm test: none of the given files runs again at the newest hardfork");
}
process.exit(status);
