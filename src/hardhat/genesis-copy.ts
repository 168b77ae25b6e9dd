/**
 * fpg:genesis: the installed package's blob, copied as it ships (no compiler run), for a release engineer
 * who never clones this repository. Files already there with other content are refused, not overwritten.
 */
import fs from "node:fs";
import path from "node:path";
import { GENESIS_DIR, displayPath } from "./genesis-file";
import { UserError } from "./user-error";

/** Copies every file of the package's genesis/ to `dir`; returns their names. Changes nothing on a refusal. */
export function copyGenesis(dir: string, from = GENESIS_DIR): string[] {
  const names = fs.readdirSync(from).filter((name) => fs.statSync(path.join(from, name)).isFile()).sort();
  const clashing = names.filter((name) => {
    const target = path.join(dir, name);
    return fs.existsSync(target) && !fs.readFileSync(target).equals(fs.readFileSync(path.join(from, name)));
  });
  if (clashing.length > 0) {
    throw new UserError(
      `fpg:genesis: ${displayPath(dir)} already holds ${clashing.join(", ")} with other content; give --out an empty or new folder`,
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const name of names) fs.copyFileSync(path.join(from, name), path.join(dir, name));
  return names;
}
