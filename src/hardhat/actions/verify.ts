import path from "node:path";
import { UserError, withUserErrors } from "../user-error";
import type { FoundCode } from "../verify";

export interface VerifyArgs {
  file?: string;
  rpc?: string;
  privacyGroupId?: string;
  manifest?: string;
}

/** fpg:verify, for Hardhat 2 and 3. */
export default async function verifyAction(args: VerifyArgs) {
  await withUserErrors(async () => {
    const verify = await import("../verify");
    if ((args.file === undefined) === (args.rpc === undefined)) {
      throw new UserError("fpg:verify: give either a file or --rpc <url>, e.g. `npx hardhat fpg:verify genesis/alloc.json`");
    }
    if (args.privacyGroupId !== undefined && args.rpc === undefined) {
      throw new UserError("fpg:verify: --privacy-group-id needs --rpc <url>");
    }
    const { GENESIS_DIR, displayPath, readCommittedAlloc } = await import("../genesis-file");
    const manifestFile = path.resolve(args.manifest ?? path.join(GENESIS_DIR, "manifest.json"));
    const manifestName = displayPath(manifestFile);
    const manifest = verify.readManifestHashes(manifestFile);
    const shipped = readCommittedAlloc();
    let found: FoundCode;
    let problems: string[];
    if (args.file !== undefined) {
      const blob = verify.blobFromFile(path.resolve(args.file));
      found = blob.codes;
      problems = verify.fileProblems(blob, shipped);
    } else {
      found = await verify.codesFromRpc(args.rpc as string, args.privacyGroupId);
      problems = await verify.implementationProblems(args.rpc as string, shipped, args.privacyGroupId);
    }
    const rows = verify.compareWithManifest(found, manifest, args.file !== undefined && verify.isHexFile(args.file));
    console.log(verify.formatRows(rows));
    for (const problem of problems) console.log(`MISMATCH: ${problem}`);
    const source = args.file ?? `--rpc ${args.rpc}`;
    if (!rows.every((row) => row.matches) || problems.length > 0) {
      throw new UserError(`fpg:verify: ${source} is not the blob of ${manifestName}`);
    }
    console.log(`fpg:verify: ${source} is the blob of ${manifestName}`);
    });
}
