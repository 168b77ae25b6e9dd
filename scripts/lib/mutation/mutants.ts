import fs from "node:fs";
import path from "node:path";
import { keccak256, toUtf8Bytes } from "ethers";
import { PACKAGE_ROOT } from "../../../src/hardhat/sources";

/** What SuMo's operators return for one mutation (src/mutation.js). */
interface SumoMutation {
  id: string;
  file: string;
  start: number;
  end: number;
  startLine: number;
  original: string;
  replace: string;
  operator: string;
  applyToString(source: string): string;
}

interface SumoGenerator {
  CompositeOperator: new (operators: unknown[]) => {
    getMutations(file: string, source: string, visit: unknown, overwrite: boolean): SumoMutation[];
  };
  [operator: string]: unknown;
}

interface SolidityParser {
  parse(source: string, options: { range: boolean; loc: boolean }): unknown;
  visit(ast: unknown, visitor: unknown): void;
}

/** One mutant: where it is, what it changes, and the source with it applied. */
export interface Mutant extends Omit<MutantDescription, "sourceHash" | "index"> {
  apply(source: string): string;
  describe(): MutantDescription;
}

export interface MutantDescription {
  id: string;
  file: string;
  line: number;
  operator: string;
  original: string;
  replace: string;
  /** keccak256 of the unmutated file's code (comments and spacing left out): a verdict holds for that code. */
  sourceHash: string;
  /** Position among the file's mutants: with the same code, the same index is the same mutant. */
  index: number;
}

/** keccak256 of Solidity source without comments and spacing, so that a comment edit keeps verdicts. */
export function codeHash(source: string): string {
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/\s+/g, " ")
    .trim();
  return keccak256(toUtf8Bytes(code));
}

// SuMo is CommonJS without types, and reads ./sumo-config.js (minimal rules) when loaded.
const SUMO_DIR = path.dirname(require.resolve("@morenabarboni/sumo/package.json", { paths: [PACKAGE_ROOT] }));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parser = require(require.resolve("@solidity-parser/parser", { paths: [SUMO_DIR] })) as SolidityParser;

function sumoGenerator(): SumoGenerator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(SUMO_DIR, "src", "operators", "mutationGenerator.js")) as SumoGenerator;
}

/** Every mutant SuMo's enabled operators make of `files` (paths relative to the repository), in a stable order. */
export function generateMutants(files: readonly string[]): Mutant[] {
  const generator = sumoGenerator();
  const operators = Object.entries(generator)
    .filter(([name]) => name.endsWith("Operator") && name !== "CompositeOperator")
    .map(([, Operator]) => new (Operator as new () => unknown)());
  const composite = new generator.CompositeOperator(operators);
  const mutants: Mutant[] = [];
  for (const file of files) {
    const absolute = path.join(PACKAGE_ROOT, file);
    const source = fs.readFileSync(absolute, "utf8");
    const sourceHash = codeHash(source);
    const ast = parser.parse(source, { range: true, loc: true });
    const found = composite.getMutations(absolute, source, parser.visit.bind(parser, ast), false);
    const sorted = found.sort((a, b) => a.start - b.start || a.operator.localeCompare(b.operator) || a.replace.localeCompare(b.replace));
    for (const [index, m] of sorted.entries()) {
      const description: MutantDescription = {
        index,
        id: m.id,
        file,
        line: m.startLine,
        operator: m.operator,
        original: m.original,
        replace: m.replace,
        sourceHash,
      };
      mutants.push({ ...description, apply: (text) => m.applyToString(text), describe: () => description });
    }
  }
  return mutants;
}
