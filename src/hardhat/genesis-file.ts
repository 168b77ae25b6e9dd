import fs from "node:fs";
import path from "node:path";
import type { GenesisAlloc } from "./alloc";
import { PACKAGE_ROOT } from "./sources";

export const GENESIS_DIR = path.join(PACKAGE_ROOT, "genesis");
export const ALLOC_FILE = path.join(GENESIS_DIR, "alloc.json");

/** A file that cannot be read as what it should be; the message names it and says what to do. */
export class GenesisFileError extends Error {
  override name = "GenesisFileError";
}

/** A path as the user would type it: relative to the working folder when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

/** Parses a JSON file, or throws one error that names the file instead of a bare SyntaxError. */
export function readJsonFile(file: string, remedy: string): unknown {
  if (!fs.existsSync(file)) throw new GenesisFileError(`${displayPath(file)} does not exist; ${remedy}`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new GenesisFileError(`${displayPath(file)} is not valid JSON (${(error as Error).message}); ${remedy}`);
  }
}

/** The committed genesis alloc, the exact bytes a client embeds. */
export function readCommittedAlloc(): GenesisAlloc {
  return readJsonFile(ALLOC_FILE, "run `npm run export` to rewrite it") as GenesisAlloc;
}
