import path from "node:path";
import { UserError, withUserErrors } from "../user-error";

/** fpg:genesis, for Hardhat 2 and 3: the installed package's blob files, copied as shipped. */
export default async function genesisAction({ out }: { out?: string }): Promise<void> {
  await withUserErrors(async () => {
    if (out === undefined) throw new UserError("fpg:genesis: give the folder to write, e.g. `npx hardhat fpg:genesis --out fpg-genesis`");
    const { copyGenesis } = await import("../genesis-copy");
    const { displayPath } = await import("../genesis-file");
    const dir = path.resolve(out);
    const names = copyGenesis(dir);
    console.log(`wrote ${names.length} files of the package's blob to ${displayPath(dir)}/: ${names.join(", ")}`);
    console.log(`check what you embed with \`npx hardhat fpg:verify ${path.join(displayPath(dir), "alloc.json")}\``);
  });
}
