import path from "node:path";
import { UserError, withUserErrors } from "../user-error";

export interface ExportArgs {
  check: boolean;
  out?: string;
}

/**
 * fpg:export, for Hardhat 2 and 3 (hre.config.paths.root is the project's root on both). Heavy modules (solc)
 * load inside, so `npx hardhat --help` and every other task stay fast.
 */
export default async function exportAction({ check, out }: ExportArgs, hre: { config: { paths: { root: string } } }) {
  await withUserErrors(async () => {
    const { currentBlob } = await import("../build");
    const { driftReport, genesisFiles, writeGenesis } = await import("../export");
    const { GENESIS_DIR, displayPath } = await import("../genesis-file");
    const dir = path.resolve(out ?? path.join(hre.config.paths.root, "genesis"));
    const shown = `${displayPath(dir)}/`;
    const files = genesisFiles(currentBlob());
    if (check) {
      const reports = driftReport(files, dir);
      if (reports.length > 0) {
        console.error(reports.join("\n"));
        throw new UserError(
          `export --check: ${shown} differs from a fresh build of the current source; run \`npm run export\` and commit genesis/`,
        );
      }
      console.log(`export --check: ${shown} matches a fresh build (${Object.keys(files).length} files)`);
      return;
    }
    // Only the package's own genesis/ is the export's to clear; anywhere else a file it does not make is the user's.
    const { written, removed } = writeGenesis(files, dir, { removeStray: dir === GENESIS_DIR });
    const manifest = JSON.parse(files["manifest.json"]) as {
      contracts: Record<string, { contract: string; size: number; codeHash: string }>;
    };
    for (const c of Object.values(manifest.contracts)) console.log(`${c.contract}: ${c.size} bytes, codeHash ${c.codeHash}`);
    for (const name of removed) console.log(`removed ${shown}${name}, which the export does not make`);
    console.log(`wrote ${written.length} files to ${shown}`);
    });
}
