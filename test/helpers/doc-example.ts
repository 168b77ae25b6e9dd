import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const ROOT = path.join(__dirname, "..", "..");

/**
 * The ```ts block between `<!-- marker:start -->` and `<!-- marker:end -->` of a docs page, with each
 * replacement made (the package's names pointed at this checkout, the ports at the test's network), as
 * CommonJS.
 */
export function docExample(page: string, marker: string, replacements: [string, string][]): string {
  const text = fs.readFileSync(path.join(ROOT, "docs", page), "utf8");
  const block = new RegExp(`<!-- ${marker}:start -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${marker}:end -->`).exec(
    text,
  );
  if (block === null) throw new Error(`docs/${page} has no ${marker} block`);
  const source = replacements.reduce((code, [from, to]) => code.replace(from, to), block[1]);
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

/** Runs an example as a page shows it (top-level await), and returns what it printed, a line per call. */
export async function runDocExample(code: string): Promise<unknown[][]> {
  const printed: unknown[][] = [];
  const console = {
    log: (...values: unknown[]) => printed.push(values),
    error: (...values: unknown[]) => printed.push(values),
  };
  await new Function("require", "exports", "console", `return (async () => {\n${code}\n})();`)(require, {}, console);
  return printed;
}

/** This checkout's path for a module, as a replacement's string literal. */
export const checkoutPath = (...parts: string[]): string => JSON.stringify(path.join(ROOT, ...parts));
