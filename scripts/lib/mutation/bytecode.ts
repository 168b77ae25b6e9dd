import { compileStandardJson } from "../../../src/hardhat/build";
import { COMPILER_SETTINGS } from "../../../src/hardhat/compiler";
import { BLOB_CONTRACTS, readSource } from "../../../src/hardhat/sources";


interface Output {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>;
}

/**
 * The creation and runtime code of both blob contracts, built with the blob's compiler and settings
 * while `file` reads as `text`. Two sources that give the same string are equivalent to the EVM.
 */
export function bytecodeOf(file: string, text: string): string {
  const read = (name: string) => (name === file ? text : readSource(name));
  const sources: Record<string, { content: string }> = {};
  for (const { source } of Object.values(BLOB_CONTRACTS)) sources[source] = { content: read(source) };
  const input = {
    language: "Solidity",
    sources,
    settings: { ...COMPILER_SETTINGS, outputSelection: { "*": { "*": ["evm.bytecode.object", "evm.deployedBytecode.object"] } } },
  };
  const output = compileStandardJson<Output>(input, read);
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(`solc reported:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  return Object.values(BLOB_CONTRACTS)
    .map(({ source, name }) => {
      const { bytecode, deployedBytecode } = output.contracts?.[source]?.[name]?.evm ?? {};
      return `${bytecode?.object}:${deployedBytecode?.object}`;
    })
    .join("\n");
}
