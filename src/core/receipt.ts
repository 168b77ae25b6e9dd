/** What happened to a private transaction, read from its private receipt (Besu's status and revert reason). */
export type PrivateOutcome = "success" | "reverted" | "dropped" | "invalid";

/**
 * Besu's private receipt status: 0x1 success; 0x2 invalid at execution (usually a nonce that did not
 * match); 0x0 with revert data a revert, and 0x0 without any a drop (the precompile did not run it).
 */
export function privateOutcome(status: string | number | undefined, revertReason: unknown): PrivateOutcome {
  const code = Number(status ?? 0);
  if (code === 1) return "success";
  if (code === 2) return "invalid";
  return revertDataOf(revertReason) === null ? "dropped" : "reverted";
}

/** A receipt's revertReason as revert data: null when absent or empty ("0x"), as for a drop. */
export function revertDataOf(revertReason: unknown): string | null {
  return typeof revertReason === "string" && revertReason !== "0x" ? revertReason : null;
}
