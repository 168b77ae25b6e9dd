import path from "node:path";
import { task } from "hardhat/config";
import { UserError, withUserErrors } from "../scripts/lib/cli";

interface VerifyArgs {
  file?: string;
  rpc?: string;
  privacyGroupId?: string;
  manifest: string;
}

task("fpg:verify", "Hashes the code of 0x…7b and 0x…7c in a file or on a node and compares it with genesis/manifest.json")
  .addOptionalPositionalParam("file", "A genesis file, an alloc, a runtime .hex or Besu's FlexibleGroupManagement.java")
  .addOptionalParam("rpc", "A node's JSON-RPC URL: reads the code with eth_getCode (or priv_getCode, see --privacy-group-id)")
  .addOptionalParam("privacyGroupId", "With --rpc: read the privacy group's private state (priv_getCode)")
  .addOptionalParam("manifest", "The manifest to compare with", path.join("genesis", "manifest.json"))
  .setAction(async (args: VerifyArgs) =>
    withUserErrors(async () => {
      const verify = await import("../scripts/verify");
      if ((args.file === undefined) === (args.rpc === undefined)) {
        throw new UserError("fpg:verify: give either a file or --rpc <url>, e.g. `npx hardhat fpg:verify genesis/alloc.json`");
      }
      if (args.privacyGroupId !== undefined && args.rpc === undefined) {
        throw new UserError("fpg:verify: --privacy-group-id needs --rpc <url>");
      }
      const manifest = verify.readManifestHashes(path.resolve(args.manifest));
      const found =
        args.file !== undefined
          ? verify.codesFromFile(path.resolve(args.file))
          : await verify.codesFromRpc(args.rpc as string, args.privacyGroupId);
      const rows = verify.compareWithManifest(found, manifest, args.file !== undefined && verify.isHexFile(args.file));
      console.log(verify.formatRows(rows));
      const source = args.file ?? `--rpc ${args.rpc}`;
      if (!rows.every((row) => row.matches)) {
        throw new UserError(`fpg:verify: ${source} is not the blob of ${args.manifest}`);
      }
      console.log(`fpg:verify: ${source} is the blob of ${args.manifest}`);
    }),
  );
