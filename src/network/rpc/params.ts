import { isHexString } from "ethers";
import { Errors, type RpcError } from "./errors";

/** Parameter readers: each refuses a wrong value with the -32602 error Besu gives for that parameter. */

export function requireCount(params: unknown[], count: number): void {
  if (params.length !== count) throw Errors.invalidParamCount();
}

/** A base64 privacy group id of exactly 32 bytes. */
export function groupIdParam(value: unknown): string {
  if (typeof value !== "string" || !/^[A-Za-z0-9+/]{43}=$/.test(value)) throw Errors.invalidPrivacyGroupParams();
  return value;
}

/** A base64 enclave key (any length, canonical base64). */
export function enclaveKeyParam(value: unknown, error: () => RpcError): string {
  if (typeof value !== "string" || value.length === 0 || Buffer.from(value, "base64").toString("base64") !== value) throw error();
  return value;
}

export function addressParam(value: unknown, error: () => RpcError = Errors.invalidAddressParams): string {
  const hex = typeof value === "string" ? withPrefix(value) : undefined;
  if (hex === undefined || !isHexString(hex, 20)) throw error();
  return hex.toLowerCase();
}

export function hashParam(value: unknown): string {
  const hex = typeof value === "string" ? withPrefix(value) : undefined;
  if (hex === undefined || !isHexString(hex, 32)) throw Errors.invalidHashParams();
  return hex.toLowerCase();
}

export function dataParam(value: unknown, error: () => RpcError): string {
  if (value === undefined || value === null) return "0x";
  const hex = typeof value === "string" ? withPrefix(value) : undefined;
  if (hex === undefined || !isHexString(hex) || hex.length % 2 !== 0) throw error();
  return hex.toLowerCase();
}

/** A block tag or number, resolved against the head; undefined for a block past the head. */
export function blockParam(value: unknown, head: number, error: () => RpcError = Errors.invalidBlockParams): number | undefined {
  if (value === "latest" || value === "pending" || value === "safe" || value === "finalized") return head;
  if (value === "earliest") return 0;
  const number = quantityValue(value);
  if (number === undefined) throw error();
  return number > head ? undefined : number;
}

export function quantityValue(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{1,15}$/.test(value)) return undefined;
  return Number.parseInt(value.slice(2), 16);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function withPrefix(value: string): string {
  return value.startsWith("0x") || value.startsWith("0X") ? "0x" + value.slice(2) : "0x" + value;
}
