/**
 * Which blob a client embeds: reads the runtime code of the management contract (0x…7b) and the proxy
 * (0x…7c) from a genesis file, an alloc, a runtime hex file, Besu's FlexibleGroupManagement.java or a
 * running node, hashes it, and compares the hashes with genesis/manifest.json. The `fpg:verify` task
 * (tasks/verify.ts beside this file) runs it.
 */
import fs from "node:fs";
import path from "node:path";
import { Interface, keccak256, toBeHex } from "ethers";
import { type AllocLike, blobDifferences, describeDifference, shippedStorageWord } from "../core/blob";
import { GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../core/constants";
import { UserError } from "./user-error";
import { displayPath, readJsonFile } from "./genesis-file";
import type { BlobPart } from "./sources";

export const PARTS: Record<BlobPart, string> = { management: GROUP_MANAGEMENT_ADDRESS, proxy: GROUP_PROXY_ADDRESS };

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

/**
 * Java source as javac reads it, in two texts of the source's length (newlines kept, so line numbers hold):
 * `code` with its `//` and `/* *\/` comments blanked and string, char and text block literals left as
 * they are; `skeleton` with those literals' contents blanked too, so text inside a literal is not taken
 * for a definition.
 */
function scanJava(text: string): { code: string; skeleton: string } {
  let code = "";
  let skeleton = "";
  const blank = (part: string) => part.replace(/[^\n]/g, " ");
  let i = 0;
  while (i < text.length) {
    const two = text.slice(i, i + 2);
    let stop: number;
    if (two === "//" || two === "/*") {
      const end = two === "//" ? text.indexOf("\n", i) : text.indexOf("*/", i + 2);
      stop = end === -1 ? text.length : two === "//" ? end : end + 2;
      code += blank(text.slice(i, stop));
      skeleton += blank(text.slice(i, stop));
    } else if (text.startsWith('"""', i) || text[i] === '"' || text[i] === "'") {
      // A literal runs to its unescaped closing delimiter (a text block's may be lines away); comment markers
      // inside it are text.
      const quote = text.startsWith('"""', i) ? '"""' : text[i];
      let j = i + quote.length;
      while (j < text.length && !text.startsWith(quote, j) && (quote === '"""' || text[j] !== "\n")) j += text[j] === "\\" ? 2 : 1;
      stop = Math.min(j + quote.length, text.length);
      code += text.slice(i, stop);
      skeleton += quote + blank(text.slice(i + quote.length, j)) + text.slice(j, stop);
    } else {
      stop = i + 1;
      code += text[i];
      skeleton += text[i];
    }
    i = stop;
  }
  return { code, skeleton };
}

/** Java source with its comments blanked, literals kept: what javac compiles, so a constant in a comment is not read. */
export const stripJavaComments = (text: string): string => scanJava(text).code;

/** `= Bytes.fromHexString("…" + "…");`: hex string literals only, possibly split and concatenated. */
const LITERAL_DEFINITION = /^\s*Bytes\.fromHexString\(\s*("(?:0x)?[0-9a-fA-F]*"(?:\s*\+\s*"[0-9a-fA-F]*")*)\s*\)\s*$/;

function javaCodes(text: string, name: string): FoundCode {
  const line = (index: number) => text.slice(0, index).split("\n").length;
  // javac turns \uXXXX into its character before it sees comments or names (a \u000a ends a // comment,
  // \u0045 spells E), so the text read here would not be what it compiles. Besu's file has none.
  const escape = [...text.matchAll(/(\\+)u/g)].find((m) => m[1].length % 2 === 1);
  if (escape !== undefined) {
    throw new UserError(`${name} has a Unicode escape (\\u…) at line ${line(escape.index)}, which javac reads before comments and names; Besu's file has none`);
  }
  const { code, skeleton } = scanJava(text);
  const found: FoundCode = {};
  for (const [constant, part] of Object.entries(JAVA_CONSTANTS)) {
    const definitions = [...skeleton.matchAll(new RegExp(`\\b${constant}\\s*=(?!=)[^;]*;`, "g"))];
    if (definitions.length === 0) {
      throw new UserError(`${name} defines no ${constant} outside comments and literals; Besu's file defines it once`);
    }
    if (definitions.length > 1) {
      const lines = definitions.map((m) => line(m.index)).join(", ");
      throw new UserError(`${name} defines ${constant} ${definitions.length} times (lines ${lines}); Besu's file defines it once`);
    }
    const [{ index, 0: match }] = definitions;
    // The same span of `code`, whose literals are whole: from after the `=` to before the `;`.
    const value = code.slice(index + match.indexOf("=") + 1, index + match.length - 1);
    const literal = LITERAL_DEFINITION.exec(value);
    if (literal === null) {
      throw new UserError(`${name}: ${constant} (line ${line(index)}) is not Bytes.fromHexString("<hex>") of string literals`);
    }
    found[part] = hexCode([...literal[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]).join(""));
  }
  return found;
}

/** What a source holds: the code by part, and for a genesis file or an alloc the whole alloc. */
export interface FoundBlob {
  codes: FoundCode;
  alloc?: Record<string, unknown>;
}

/** The code (and alloc) in a file, by its kind: .java, .hex, or JSON (a genesis file with `alloc`, or an alloc). */
export function blobFromFile(file: string): FoundBlob {
  if (!fs.existsSync(file)) throw new UserError(`${displayPath(file)} does not exist`);
  const text = fs.readFileSync(file, "utf8");
  const name = displayPath(file);
  let found: FoundBlob;
  if (file.endsWith(".java")) found = { codes: javaCodes(text, name) };
  else if (file.endsWith(".hex")) {
    if (!/^\s*(0x)?([0-9a-fA-F]{2})+\s*$/.test(text)) throw new UserError(`${name} is not one hex string`);
    // One runtime: compared with both contracts, it matches the one it is.
    return { codes: { management: hexCode(text), proxy: hexCode(text) } };
  } else {
    const json = readJsonFile(file, "pass a genesis file, an alloc, a .hex or a .java file") as Record<string, unknown>;
    const alloc = (typeof json.alloc === "object" && json.alloc !== null ? json.alloc : json) as Record<string, { code?: unknown }>;
    found = { codes: { management: allocCode(alloc, GROUP_MANAGEMENT_ADDRESS), proxy: allocCode(alloc, GROUP_PROXY_ADDRESS) }, alloc };
  }
  if (found.codes.management === undefined && found.codes.proxy === undefined) {
    throw new UserError(`${name} holds no code for ${GROUP_MANAGEMENT_ADDRESS} or ${GROUP_PROXY_ADDRESS}`);
  }
  return found;
}

export const codesFromFile = (file: string): FoundCode => blobFromFile(file).codes;

/** An alloc's differences from the shipped one, one line each (none for a .java or .hex file, which hold code only). */
export function fileProblems(found: FoundBlob, shipped: AllocLike): string[] {
  return found.alloc === undefined ? [] : blobDifferences(found.alloc, shipped).map(describeDifference);
}

/** One JSON-RPC call; a node that does not answer, or answers with an error, is a UserError naming the URL. */
async function rpcCall(url: string, method: string, params: unknown[]): Promise<unknown> {
  let reply: { result?: unknown; error?: { message: string } };
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
  return reply.result;
}

/** The code at an address on a node (public state, or a group's with `groupId`); undefined when there is none. */
async function codeAt(url: string, address: string, groupId?: string): Promise<string | undefined> {
  const result =
    groupId === undefined
      ? await rpcCall(url, "eth_getCode", [address, "latest"])
      : await rpcCall(url, "priv_getCode", [groupId, address, "latest"]);
  // Besu answers null for an account that does not exist, "0x" for one without code.
  return typeof result === "string" && result !== "0x" ? hexCode(result) : undefined;
}

/** The code at 0x…7b and 0x…7c on a node: public state, or a privacy group's state with `groupId`. */
export async function codesFromRpc(url: string, groupId?: string): Promise<FoundCode> {
  const found: FoundCode = {};
  for (const [part, address] of Object.entries(PARTS) as [BlobPart, string][]) {
    const code = await codeAt(url, address, groupId);
    if (code !== undefined) found[part] = code;
  }
  return found;
}

const PROXY_INTERFACE = new Interface(["function implementation() view returns (address)"]);

/**
 * The implementation the proxy runs on a node, against the shipped alloc's proxy slot 0. Public state is
 * read with eth_getStorageAt; Besu 25.5 has no private storage read, so a group's is asked with priv_call
 * of the proxy's implementation(). A group upgraded to another management contract fails here.
 */
export async function implementationProblems(url: string, shipped: AllocLike, groupId?: string): Promise<string[]> {
  const expected = shippedStorageWord(shipped, GROUP_PROXY_ADDRESS, 0n);
  const result =
    groupId === undefined
      ? await rpcCall(url, "eth_getStorageAt", [GROUP_PROXY_ADDRESS, "0x0", "latest"])
      : await rpcCall(url, "priv_call", [
          groupId,
          { to: GROUP_PROXY_ADDRESS, data: PROXY_INTERFACE.encodeFunctionData("implementation") },
          "latest",
        ]);
  const how = groupId === undefined ? "storage slot 0" : "implementation()";
  if (typeof result !== "string" || !/^0x[0-9a-fA-F]{1,64}$/.test(result)) {
    return [`${GROUP_PROXY_ADDRESS} ${how}: expected ${toBeHex(expected, 20)}, found ${JSON.stringify(result)} (no group state here?)`];
  }
  const found = BigInt(result);
  if (found === expected) return [];
  if (found >= 1n << 160n) {
    return [`${GROUP_PROXY_ADDRESS} ${how}: expected ${toBeHex(expected, 20)}, found ${result}, which is not an address`];
  }
  const implementation = toBeHex(found, 20);
  const code = await codeAt(url, implementation, groupId);
  const management = shipped[GROUP_MANAGEMENT_ADDRESS]?.code;
  const same = code !== undefined && management !== undefined && code === hexCode(management);
  return [
    `${GROUP_PROXY_ADDRESS} ${how}: expected ${toBeHex(expected, 20)}, found ${implementation}: the proxy was upgraded to ` +
      `another implementation (${same ? "a copy of the shipped management code" : "not the shipped management code"})`,
  ];
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
