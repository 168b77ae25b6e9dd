// Preloaded into a child process (node -r ts-node/register -r this): `ethers` cannot be resolved there, as in
// a project that installed viem alone, and every attempt is recorded, even one a caller would catch.
import Module from "node:module";

type Resolve = (request: string, parent?: { filename?: string }, ...rest: unknown[]) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
const resolve = moduleWithResolve._resolveFilename;

export const ethersRequests: string[] = [];

moduleWithResolve._resolveFilename = function (request, parent, ...rest) {
  if (request === "ethers" || request.startsWith("ethers/")) {
    ethersRequests.push(`${request} from ${parent?.filename ?? "?"}`);
    throw Object.assign(new Error(`Cannot find module '${request}' (blocked: this process has no ethers)`), {
      code: "MODULE_NOT_FOUND",
    });
  }
  return resolve.call(this, request, parent, ...rest);
};

process.on("exit", () => {
  const loaded = Object.keys(require.cache).filter((file) => /[\\/]node_modules[\\/]ethers[\\/]/.test(file));
  if (ethersRequests.length > 0 || loaded.length > 0) {
    process.stderr.write(`ethers was asked for: ${JSON.stringify({ ethersRequests, loaded })}\n`);
    process.exitCode = 3;
  }
});
