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

/** How often to ask for a private receipt after its marker is mined before deciding this node has none. */
export const PRIVATE_RECEIPT_READS = 10;

/** Why a wait for a private receipt ended without one. */
export type ReceiptWaitFailure =
  /** The marker was not mined within the timeout. */
  | "timeout"
  /** The marker is mined, and this node has no private receipt for it: it is not a member of the group. */
  | "unavailable";

/**
 * The wait both clients use. The private receipt is read first (once it exists the marker is mined, so the
 * usual case is one request); until then the marker's public receipt, and once the marker is mined only a
 * few more private reads, not the whole timeout. `fail` makes each client's error.
 */
export async function pollPrivateReceipt<R>(
  read: { privateReceipt(): Promise<R | null>; markerMined(): Promise<boolean> },
  options: { timeout: number; pollingInterval: number },
  fail: (failure: ReceiptWaitFailure) => Error,
): Promise<R> {
  const deadline = Date.now() + options.timeout;
  let markerMined = false;
  let privateReads = 0;
  for (;;) {
    const receipt = await read.privateReceipt();
    if (receipt !== null) return receipt;
    if (!markerMined) markerMined = await read.markerMined();
    if (markerMined) privateReads++;
    if (privateReads >= PRIVATE_RECEIPT_READS) throw fail("unavailable");
    if (Date.now() >= deadline) throw fail(markerMined ? "unavailable" : "timeout");
    await new Promise((resolve) => setTimeout(resolve, options.pollingInterval));
  }
}
