/**
 * Fails unless `hardhat coverage` measured 100% statements, branches, functions and lines in every
 * production contract (.solcover.js leaves out test doubles and examples).
 */
import fs from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../src/hardhat/sources";

const METRICS = ["statements", "branches", "functions", "lines"] as const;
type Summary = Record<string, Record<(typeof METRICS)[number], { total: number; covered: number; pct: number }>>;

function main(): number {
  const file = path.join(PACKAGE_ROOT, "coverage", "coverage-summary.json");
  if (!fs.existsSync(file)) {
    console.error("coverage gate: coverage/coverage-summary.json is missing; run `hardhat coverage` first");
    return 1;
  }
  const summary = JSON.parse(fs.readFileSync(file, "utf8")) as Summary;
  const files = Object.keys(summary).filter((name) => name !== "total");
  if (files.length === 0) {
    console.error("coverage gate: the summary lists no contracts");
    return 1;
  }
  const short: string[] = [];
  for (const name of files) {
    for (const metric of METRICS) {
      const { covered, total } = summary[name][metric];
      if (covered < total) short.push(`${path.relative(PACKAGE_ROOT, name)}: ${metric} ${covered}/${total}`);
    }
  }
  if (short.length > 0) {
    console.error(`coverage gate: below 100% (coverage/index.html shows the lines):\n  ${short.join("\n  ")}`);
    return 1;
  }
  console.log(`coverage gate: 100% statements, branches, functions and lines in ${files.length} contracts`);
  return 0;
}

process.exitCode = main();
