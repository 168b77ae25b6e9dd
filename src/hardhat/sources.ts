import fs from "node:fs";
import path from "node:path";

/** The package's own folder (this repository, or node_modules/flexible-privacy-groups): the nearest package.json up. */
export const PACKAGE_ROOT = packageRoot(__dirname);

function packageRoot(dir: string): string {
  if (fs.existsSync(path.join(dir, "package.json"))) return dir;
  const parent = path.dirname(dir);
  if (parent === dir) throw new Error(`flexible-privacy-groups: no package.json above ${__dirname}`);
  return packageRoot(parent);
}

/** The contracts that make up the genesis blob, by source name and contract name. */
export const BLOB_CONTRACTS = {
  management: {
    source: "contracts/management/FlexiblePrivacyGroupManagement.sol",
    name: "FlexiblePrivacyGroupManagement",
  },
  proxy: { source: "contracts/proxy/FlexiblePrivacyGroupProxy.sol", name: "FlexiblePrivacyGroupProxy" },
} as const;

export type BlobPart = keyof typeof BLOB_CONTRACTS;

/** Text with CRLF line ends read as LF: a Windows checkout builds and hashes like any other. */
export const toLf = (text: string): string => text.replace(/\r\n/g, "\n");

/** Reads a source by its import name: project files from the root, packages from node_modules. */
export function readSource(sourceName: string): string {
  const local = path.join(PACKAGE_ROOT, sourceName);
  if (fs.existsSync(local)) return toLf(fs.readFileSync(local, "utf8"));
  return toLf(fs.readFileSync(require.resolve(sourceName, { paths: [PACKAGE_ROOT] }), "utf8"));
}
