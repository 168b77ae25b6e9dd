import fs from "node:fs";
import path from "node:path";
import type { GenesisAlloc } from "./alloc";
import { ROOT } from "./sources";

export const ALLOC_FILE = path.join(ROOT, "genesis", "alloc.json");

/** The committed genesis alloc, the exact bytes a client embeds. */
export function readCommittedAlloc(): GenesisAlloc {
  return JSON.parse(fs.readFileSync(ALLOC_FILE, "utf8")) as GenesisAlloc;
}
