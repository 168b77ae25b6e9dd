/**
 * Storage layouts, ERC-7201 namespaces included, read with OpenZeppelin's upgrades-core from a solc
 * input and output that carry the AST and the storage layout. Shared by the export (the committed
 * genesis/storage-layout.json) and the upgrade check (what a candidate management contract declares).
 */
import {
  type SolcInput,
  type SolcOutput,
  type StorageLayout,
  getContractVersion,
  getErrors,
  getStorageLayout,
  makeNamespacedInput,
  solcInputOutputDecoder,
  validate,
  withValidationDefaults,
} from "@openzeppelin/upgrades-core";
import { AbiCoder, keccak256, toBeHex, toUtf8Bytes } from "ethers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const solc = require("solc") as { compile(input: string): string };

/** One upgrade-safety problem upgrades-core found in the code. */
export type ValidationError = ReturnType<typeof getErrors>[number];

/** What upgrades-core says of one contract: its layout (namespaces included) and its upgrade-safety errors. */
export interface LayoutReading {
  layout: StorageLayout;
  errors: ValidationError[];
}

/**
 * The layout of `contract` ("source:Name"). upgrades-core needs a second, "namespaced" compilation in
 * which each namespace struct gets a dummy state variable so that solc reports the struct's layout; it
 * keeps only declarations, so it is compiled without the optimizer. Its output never reaches the blob.
 */
export function readLayout(input: SolcInput, output: SolcOutput, solcVersion: string, contract: string): LayoutReading {
  const namespacedInput = makeNamespacedInput(input, output, solcVersion);
  const { optimizer: _optimizer, viaIR: _viaIR, ...settings } = namespacedInput.settings as Record<string, unknown>;
  const namespacedOutput = JSON.parse(
    solc.compile(JSON.stringify({ ...namespacedInput, settings: { ...settings, optimizer: { enabled: false } } })),
  ) as SolcOutput & { errors?: { severity: string; formattedMessage: string }[] };
  const failures = (namespacedOutput.errors ?? []).filter((e) => e.severity === "error");
  if (failures.length > 0) {
    throw new Error(`the namespaced compilation failed:\n${failures.map((e) => e.formattedMessage).join("\n")}`);
  }
  const runData = validate(output, solcInputOutputDecoder(input, output), solcVersion, input, namespacedOutput);
  const version = getContractVersion(runData, contract);
  return {
    layout: getStorageLayout([runData], version),
    errors: getErrors([runData], version, withValidationDefaults({ kind: "transparent" })),
  };
}

/** ERC-7201's root slot of namespace `id`: keccak256(abi.encode(uint256(keccak256(id)) - 1)) & ~0xff. */
export function erc7201Slot(id: string): string {
  const inner = BigInt(keccak256(toUtf8Bytes(id))) - 1n;
  const outer = BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["uint256"], [inner])));
  return toBeHex(outer & ~0xffn, 32);
}

interface LayoutEntry {
  label: string;
  type: string;
  slot?: string;
  offset?: number;
}

/** A type name without the AST id solc puts in it (t_struct(Group)552_storage), which shifts with any edit. */
const stableTypeName = (type: string): string => type.replace(/(\(\w+\))\d+/g, "$1");

const entry = ({ label, type, slot, offset }: LayoutEntry): LayoutEntry => ({
  label,
  type: stableTypeName(type),
  slot,
  offset,
});

/**
 * The namespaces of a layout for a committed snapshot: per namespace its ERC-7201 root slot and its
 * members (slot relative to the root), without source positions, which move with every edited line.
 */
export function namespacesSnapshot(
  layout: StorageLayout,
): Record<string, { rootSlot: string; members: LayoutEntry[] }> {
  const snapshot: Record<string, { rootSlot: string; members: LayoutEntry[] }> = {};
  for (const [location, members] of Object.entries(layout.namespaces ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const id = location.replace(/^erc7201:/, "");
    snapshot[location] = { rootSlot: erc7201Slot(id), members: members.map((m) => entry(m as LayoutEntry)) };
  }
  return snapshot;
}

/** A value without source positions and AST ids, which change whenever a line above them moves. */
function withoutPositions(value: unknown): unknown {
  if (typeof value === "string") return stableTypeName(value);
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "src" && key !== "astId")
      .map(([key, v]) => [key, withoutPositions(v)]),
  );
}

/** Every type of a layout, by name, for a committed snapshot. */
export function typesSnapshot(layout: StorageLayout): Record<string, unknown> {
  const types: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(layout.types).sort(([a], [b]) => a.localeCompare(b))) {
    types[stableTypeName(name)] = withoutPositions(type);
  }
  return types;
}
