import { task } from "hardhat/config";
import { UserError, withUserErrors } from "../scripts/lib/cli";

// The export and its check. Heavy modules (solc) load inside the action, so `npx hardhat --help`
// and every other task stay fast.
task("fpg:export", "Builds the genesis blob from source and writes genesis/ (removing files it does not make)")
  .addFlag("check", "Write nothing; fail with a diff when genesis/ differs from a fresh build")
  .setAction(async ({ check }: { check: boolean }) =>
    withUserErrors(async () => {
      const { currentBlob } = await import("../scripts/lib/build");
      const { driftReport, genesisFiles, writeGenesis } = await import("../scripts/export");
      const files = genesisFiles(currentBlob());
      if (check) {
        const reports = driftReport(files);
        if (reports.length > 0) {
          console.error(reports.join("\n"));
          throw new UserError(
            "export --check: genesis/ differs from a fresh build of the current source; run `npm run export` and commit genesis/",
          );
        }
        console.log(`export --check: genesis/ matches a fresh build (${Object.keys(files).length} files)`);
        return;
      }
      const { written, removed } = writeGenesis(files);
      const manifest = JSON.parse(files["manifest.json"]) as {
        contracts: Record<string, { contract: string; size: number; codeHash: string }>;
      };
      for (const c of Object.values(manifest.contracts)) console.log(`${c.contract}: ${c.size} bytes, codeHash ${c.codeHash}`);
      for (const name of removed) console.log(`removed genesis/${name}, which the export does not make`);
      console.log(`wrote ${written.length} files to genesis/`);
    }),
  );
