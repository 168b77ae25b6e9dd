// Writes dist/abi/<Contract>.json, the ABI of each shipped contract and interface, from Hardhat's
// artifacts (the pinned solc, the blob's settings). Run by `npm run build`, after the compile.
import fs from "node:fs";
import path from "node:path";
import { URL, fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SHIPPED = ["interfaces", "management", "proxy"];
const OUT = path.join(ROOT, "dist", "abi");

function artifacts(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return artifacts(file);
    return entry.name.endsWith(".json") && !entry.name.endsWith(".dbg.json") ? [file] : [];
  });
}

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
let written = 0;
for (const folder of SHIPPED) {
  const dir = path.join(ROOT, "artifacts", "contracts", folder);
  const found = artifacts(dir);
  if (found.length === 0) {
    console.error(`abi: no artifacts in ${path.relative(ROOT, dir)}; run \`npx hardhat compile\` first`);
    process.exit(1);
  }
  for (const file of found) {
    const { contractName, abi } = JSON.parse(fs.readFileSync(file, "utf8"));
    if (abi.length === 0) continue; // libraries and storage layouts have no ABI to ship
    fs.writeFileSync(path.join(OUT, `${contractName}.json`), `${JSON.stringify(abi, null, 2)}\n`);
    written += 1;
  }
}
console.log(`abi: wrote ${written} ABI files to dist/abi/`);
