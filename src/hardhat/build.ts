import { keccak256, toUtf8Bytes } from "ethers";
import { COMPILER_SETTINGS, SOLC_VERSION } from "./compiler";
import { BLOB_CONTRACTS, type BlobPart, readSource, toLf } from "./sources";

/** A contract to compile: its source name and contract name. */
export interface ContractTarget {
  source: string;
  name: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const solc = require("solc") as {
  version(): string;
  compile(input: string, callbacks: { import(path: string): { contents: string } | { error: string } }): string;
};

export interface BuiltContract {
  source: string;
  name: string;
  /** Runtime code, 0x-prefixed lowercase hex. */
  runtime: string;
  abi: unknown[];
  storageLayout: unknown;
}

export interface Build<Part extends string> {
  longVersion: string;
  settings: typeof COMPILER_SETTINGS;
  contracts: Record<Part, BuiltContract>;
  /** keccak256 of every source that went into the build, by source name. */
  sourceHashes: Record<string, string>;
  /** The standard JSON input with every source that went in, and the compiler's output (ASTs included),
   * for tools that read both, such as upgrades-core's layout validation. */
  solcInput: SolcInput;
  solcOutput: SolcOutput;
}

export type BlobBuild = Build<BlobPart>;

export interface SolcInput {
  language: "Solidity";
  sources: Record<string, { content: string }>;
  settings: Record<string, unknown>;
}

export interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  sources?: Record<string, unknown>;
  contracts: Record<
    string,
    Record<
      string,
      {
        abi: unknown[];
        storageLayout: unknown;
        evm: {
          deployedBytecode: {
            object: string;
            immutableReferences: Record<string, unknown>;
            linkReferences: Record<string, unknown>;
          };
        };
      }
    >
  >;
}

/**
 * Compiles the blob's contracts from source with the pinned solc package, independently of Hardhat's
 * artifacts, so that an instrumented coverage build can never reach the export.
 */
export function buildBlob(): BlobBuild {
  return compileForGenesis(BLOB_CONTRACTS);
}

let cachedBuild: BlobBuild | undefined;

/**
 * The blob built from the current source, compiled once per process: the tests, the bench and the
 * export's check all run what the export would write now, never a stale committed copy.
 */
export function currentBlob(): BlobBuild {
  cachedBuild ??= buildBlob();
  return cachedBuild;
}

/** Runs the pinned solc on a standard-JSON input, resolving imports with `read`. */
export function compileStandardJson<Output>(input: object, read: (name: string) => string): Output {
  const output = solc.compile(JSON.stringify(input), {
    import: (name) => {
      try {
        return { contents: read(name) };
      } catch {
        return { error: `cannot find ${name}` };
      }
    },
  });
  return JSON.parse(output) as Output;
}

/**
 * Compiles `targets` with the blob's compiler and settings, refusing anything genesis code cannot be:
 * code with immutables or library links, or code that compiles with warnings.
 * `read` maps a source name to its text (tests pass an edited copy); CRLF line ends read as LF, so a
 * Windows checkout builds the same blob and the same source hashes.
 */
export function compileForGenesis<Part extends string>(
  targets: Record<Part, ContractTarget>,
  readRaw: (sourceName: string) => string = readSource,
): Build<Part> {
  const read = (sourceName: string) => toLf(readRaw(sourceName));
  const longVersion = solc.version();
  if (!longVersion.startsWith(`${SOLC_VERSION}+`)) {
    throw new Error(`the solc package is ${longVersion}, but the blob is pinned to ${SOLC_VERSION}`);
  }
  const sources: Record<string, { content: string }> = {};
  for (const { source } of Object.values<ContractTarget>(targets)) sources[source] = { content: read(source) };
  const input = {
    language: "Solidity" as const,
    sources,
    settings: {
      ...COMPILER_SETTINGS,
      // The AST and the creation code are for upgrades-core's layout reading; outputs never change the code.
      outputSelection: { "*": { "*": ["abi", "storageLayout", "evm.bytecode", "evm.deployedBytecode"], "": ["ast"] } },
    },
  };
  const output = compileStandardJson<SolcOutput>(input, read);
  const problems = (output.errors ?? []).map((e) => e.formattedMessage);
  if (problems.length > 0) {
    // Warnings count too: the blob is built only from code that compiles cleanly.
    throw new Error(`solc reported:\n${problems.join("\n")}`);
  }

  const contracts = {} as Record<Part, BuiltContract>;
  for (const [part, { source, name }] of Object.entries(targets) as [Part, ContractTarget][]) {
    const compiled = output.contracts[source][name];
    const { object, immutableReferences, linkReferences } = compiled.evm.deployedBytecode;
    if (Object.keys(immutableReferences).length > 0) {
      throw new Error(`${name} has immutables: genesis code runs no constructor, so they would read as zero`);
    }
    if (Object.keys(linkReferences).length > 0) {
      throw new Error(`${name} links external libraries: genesis code cannot be linked`);
    }
    contracts[part] = { source, name, runtime: `0x${object.toLowerCase()}`, abi: compiled.abi, storageLayout: compiled.storageLayout };
  }

  const sourceHashes: Record<string, string> = {};
  for (const name of Object.keys(output.sources ?? {}).sort()) {
    sourceHashes[name] = keccak256(toUtf8Bytes(read(name)));
  }
  const solcInput = {
    ...input,
    sources: Object.fromEntries(Object.keys(sourceHashes).map((n) => [n, { content: read(n) }])),
  };
  return { longVersion, settings: COMPILER_SETTINGS, contracts, sourceHashes, solcInput, solcOutput: output };
}
