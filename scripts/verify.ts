/**
 * Which blob a client embeds: reads the runtime code of the management contract (0x…7b) and the proxy
 * (0x…7c) from a genesis file, an alloc, a runtime hex file, Besu's FlexibleGroupManagement.java or a
 * running node, hashes it, and compares the hashes with genesis/manifest.json. The `fpg:verify` task
 * (tasks/verify.ts) runs it.
 */
import fs from "node:fs";
import path from "node:path";
import { keccak256 } from "ethers";
import { MANAGEMENT_ADDRESS, PROXY_ADDRESS } from "./lib/addresses";
import { UserError } from "./lib/cli";
import { displayPath, readJsonFile } from "./lib/genesis-file";
import type { BlobPart } from "./lib/sources";

export const PARTS: Record<BlobPart, string> = { management: MANAGEMENT_ADDRESS, proxy: PROXY_ADDRESS };

/** Runtime code found in a source, by part; a part may be absent (a hex file holds one contract). */
export type FoundCode = Partial<Record<BlobPart, string>>;

export interface ManifestHashes {
  management: string;
  proxy: string;
}

export function readManifestHashes(file: string): ManifestHashes {
  const manifest = readJsonFile(file, "run `npm run export` to rewrite it, or pass --manifest <file>") as {
    contracts?: Record<string, { codeHash?: string }>;
  };
  const hash = (part: BlobPart) => {
    const value = manifest.contracts?.[part]?.codeHash;
    if (typeof value !== "string") throw new UserError(`${displayPath(file)} has no contracts.${part}.codeHash`);
    return value;
  };
  return { management: hash("management"), proxy: hash("proxy") };
}

const hexCode = (text: string): string => `0x${text.trim().replace(/^0x/i, "").toLowerCase()}`;

/** An alloc's account by address, whether its keys are checksummed, lowercase, or without 0x (Besu accepts all). */
function allocCode(alloc: Record<string, { code?: unknown }>, address: string): string | undefined {
  const bare = address.slice(2).toLowerCase();
  const key = Object.keys(alloc).find((k) => k.toLowerCase().replace(/^0x/, "") === bare);
  const code = key === undefined ? undefined : alloc[key]?.code;
  return typeof code === "string" ? hexCode(code) : undefined;
}

/** Besu's constant names for the two runtimes in FlexibleGroupManagement.java. */
const JAVA_CONSTANTS: Record<string, BlobPart> = {
  DEFAULT_GROUP_MANAGEMENT_RUNTIME_BYTECODE: "management",
  PROXY_RUNTIME_BYTECODE: "proxy",
};

function javaCodes(text: string): FoundCode {
  const found: FoundCode = {};
  // `NAME = Bytes.fromHexString("…" + "…")`: string literals may be split and concatenated.
  for (const [, name, args] of text.matchAll(/(\w+)\s*=\s*Bytes\.fromHexString\(([^)]*)\)/g)) {
    const part = JAVA_CONSTANTS[name];
    if (part !== undefined) found[part] = hexCode([...args.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join(""));
  }
  return found;
}

/** The code in a file, by its kind: .java, .hex, or JSON (a genesis file with `alloc`, or an alloc). */
export function codesFromFile(file: string): FoundCode {
  if (!fs.existsSync(file)) throw new UserError(`${displayPath(file)} does not exist`);
  const text = fs.readFileSync(file, "utf8");
  const name = displayPath(file);
  let found: FoundCode;
  if (file.endsWith(".java")) found = javaCodes(text);
  else if (file.endsWith(".hex")) {
    if (!/^\s*(0x)?([0-9a-fA-F]{2})+\s*$/.test(text)) throw new UserError(`${name} is not one hex string`);
    // One runtime: compared with both contracts, it matches the one it is.
    return { management: hexCode(text), proxy: hexCode(text) };
  } else {
    const json = readJsonFile(file, "pass a genesis file, an alloc, a .hex or a .java file") as Record<string, unknown>;
    const alloc = (typeof json.alloc === "object" && json.alloc !== null ? json.alloc : json) as Record<string, { code?: unknown }>;
    found = { management: allocCode(alloc, MANAGEMENT_ADDRESS), proxy: allocCode(alloc, PROXY_ADDRESS) };
  }
  if (found.management === undefined && found.proxy === undefined) {
    throw new UserError(`${name} holds no code for ${MANAGEMENT_ADDRESS} or ${PROXY_ADDRESS}`);
  }
  return found;
}

/** The code at 0x…7b and 0x…7c on a node: public state, or a privacy group's state with `groupId`. */
export async function codesFromRpc(url: string, groupId?: string): Promise<FoundCode> {
  const found: FoundCode = {};
  for (const [part, address] of Object.entries(PARTS) as [BlobPart, string][]) {
    const [method, params] =
      groupId === undefined ? ["eth_getCode", [address, "latest"]] : ["priv_getCode", [groupId, address, "latest"]];
    let reply: { result?: string; error?: { message: string } };
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        signal: AbortSignal.timeout(15_000),
      });
      reply = (await response.json()) as typeof reply;
    } catch (error) {
      const { cause } = error as { cause?: { code?: string; message?: string } };
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new UserError(`--rpc ${url}: no JSON-RPC answer to ${method} (${reason}); is the node running there?`);
    }
    if (reply.error !== undefined) throw new UserError(`--rpc ${url}: ${method} failed: ${reply.error.message}`);
    if (reply.result !== undefined && reply.result !== "0x") found[part] = hexCode(reply.result);
  }
  return found;
}

export interface VerifyRow {
  part: BlobPart;
  address: string;
  hash?: string;
  expected: string;
  matches: boolean;
}

/**
 * One row per part: the found code's hash against the manifest's. A .hex file (`oneContract`) holds
 * one contract: it gets the row of the contract it is, or, when it is neither, both rows.
 */
export function compareWithManifest(found: FoundCode, manifest: ManifestHashes, oneContract = false): VerifyRow[] {
  const rows = (Object.keys(PARTS) as BlobPart[]).map((part) => {
    const code = found[part];
    const hash = code === undefined ? undefined : keccak256(code);
    return { part, address: PARTS[part], hash, expected: manifest[part], matches: hash === manifest[part] };
  });
  const matching = rows.filter((r) => r.matches);
  return oneContract && matching.length > 0 ? matching : rows;
}

export function formatRows(rows: VerifyRow[]): string {
  return rows
    .map(
      (r) =>
        `${r.part.padEnd(10)} ${r.address}  ${r.hash ?? "(no code)".padEnd(66)}  ` +
        `${r.matches ? "matches" : `MISMATCH: manifest says ${r.expected}`}`,
    )
    .join("\n");
}

export const isHexFile = (file: string): boolean => path.extname(file) === ".hex";
