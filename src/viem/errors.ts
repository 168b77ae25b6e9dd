import { BaseError } from "viem";
import type { DropReason } from "../core/drop";

/** The page that explains each error: the repository's docs/viem.md (viem prints it as "Docs: …"). */
const DOCS = "docs/viem.md";

/** viem's error style (shortMessage, details, a pointer into docs/viem.md), for what the private actions refuse or meet. */
export class PrivateActionError extends BaseError {
  override name = "PrivateActionError";
  constructor(shortMessage: string, options: { details?: string; docsSection?: string; cause?: unknown } = {}) {
    const cause = options.cause instanceof Error ? options.cause : undefined;
    super(shortMessage, {
      details: options.details,
      // viem's Details line is the cause's when there is one: ours then goes in the message above it.
      metaMessages: cause !== undefined && options.details !== undefined ? [options.details] : undefined,
      docsBaseUrl: DOCS,
      docsPath: options.docsSection === undefined ? "" : `#${options.docsSection}`,
      cause,
    });
  }
}

/** The client's account cannot sign a 32-byte digest (a JSON-RPC account): a private transaction needs one that can. */
export class PrivateAccountError extends PrivateActionError {
  override name = "PrivateAccountError";
}

/** Besu answered Unauthorized (-40100): a missing or expired JWT, or a tenant that is not a member of the group. */
export class PrivateUnauthorizedError extends PrivateActionError {
  override name = "PrivateUnauthorizedError";
}

/** Refused before sending: the same refusals as the ethers client (src/core/codec.ts), nothing was sent. */
export class InvalidPrivateTransactionError extends PrivateActionError {
  override name = "InvalidPrivateTransactionError";
}

/** The private transaction reverted; `errorName` and `args` decode its revert data against the ABI given. */
export class PrivateTransactionRevertedError extends PrivateActionError {
  override name = "PrivateTransactionRevertedError";
  constructor(
    readonly markerHash: string,
    readonly data: string,
    readonly errorName: string | null,
    readonly args: readonly unknown[],
  ) {
    super(
      `the private transaction reverted${errorName === null ? "" : ` with ${errorName}(${args.map(String).join(", ")})`}`,
      {
        details: `marker ${markerHash}, revert data ${data}`,
        docsSection: "errors",
      },
    );
  }
}

/** The privacy precompile did not run it, or it was invalid at execution; `reason` says which check dropped it. */
export class PrivateTransactionNotExecutedError extends PrivateActionError {
  override name = "PrivateTransactionNotExecutedError";
  constructor(
    readonly markerHash: string,
    readonly outcome: "dropped" | "invalid",
    readonly reason: DropReason | null = null,
  ) {
    super(
      outcome === "dropped"
        ? `the private transaction was dropped${reason === null ? "" : ` (${reason})`}: the privacy precompile did not run it`
        : "the private transaction was invalid at execution (usually a nonce that did not match)",
      { details: `marker ${markerHash}`, docsSection: "errors" },
    );
  }
}
