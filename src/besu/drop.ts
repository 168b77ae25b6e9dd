import { ZeroHash } from "ethers";
import type { PrivateTransaction } from "../core/codec";
import { GROUP_PROXY_ADDRESS } from "../core/constants";
import { tesseraKeyToBytes } from "../core/keys";
import type { DropReason } from "./errors";
import { GROUP_INTERFACE } from "./group";
import type { PrivacyProvider } from "./provider";

const ADD_SELECTOR = GROUP_INTERFACE.getFunction("addParticipants")!.selector;

/** A dropped transaction, and what the signer knew when it sent it. */
export interface DroppedTransaction {
  transaction: PrivateTransaction;
  /** The block of its marker transaction. */
  markerBlock: number;
  /** The chain head just before it was sent (null: unknown). */
  sentAtBlock: number | null;
}

/**
 * Why Besu 25.5's privacy precompile dropped a transaction, with Besu's API only: the precompile's checks
 * (FlexiblePrivacyPrecompiledContract.canExecute) replayed with priv_call on the group's state. Its state right
 * before the transaction lies between the end of the block before the marker's and the end of the marker's
 * block (others in the same block may run first), so the checks run at the first, then at the second.
 * The version Besu put in the payload is getVersion at the head when it was sent: here, at `sentAtBlock`,
 * read just before sending, so a change landing between that read and Besu's is not seen.
 */
export async function diagnoseDrop(provider: PrivacyProvider, dropped: DroppedTransaction): Promise<DropReason> {
  const { transaction, markerBlock, sentAtBlock } = dropped;
  const groupId = transaction.privacyGroupId;
  if (groupId === null || transaction.privateFrom === null) return "unknown";
  const privateFrom = tesseraKeyToBytes(transaction.privateFrom); // compared as bytes: a member key may be any length

  /** One group read; null when the node has no group state there (Besu's gate treats that as locked, version zero). */
  const read = async (method: "canExecute" | "getVersion" | "getParticipants", blockTag: number): Promise<unknown> => {
    try {
      const output = await provider.privCall(
        groupId,
        { to: GROUP_PROXY_ADDRESS, data: GROUP_INTERFACE.encodeFunctionData(method), from: transaction.from ?? undefined },
        blockTag,
      );
      return output === "0x" ? null : GROUP_INTERFACE.decodeFunctionResult(method, output)[0];
    } catch {
      return null;
    }
  };
  const versionAt = async (blockTag: number): Promise<string> => String((await read("getVersion", blockTag)) ?? ZeroHash);

  const isAdd = transaction.to === GROUP_PROXY_ADDRESS && transaction.data.startsWith(ADD_SELECTOR);
  let sentVersion: Promise<string> | undefined;

  /** The precompile's checks, in its order, on the group's state at the end of `blockTag`; null if all pass. */
  async function checksAt(blockTag: number): Promise<DropReason | null> {
    const locked = (await read("canExecute", blockTag)) !== true;
    if (isAdd && !locked) return "unlockedForAdd";
    if (locked && transaction.to !== GROUP_PROXY_ADDRESS) return "locked";
    if (sentAtBlock !== null) {
      sentVersion ??= versionAt(sentAtBlock);
      if ((await versionAt(blockTag)) !== (await sentVersion)) return "versionChanged";
    }
    const members = ((await read("getParticipants", blockTag)) as string[] | null) ?? [];
    const allowed = members.length === 0 && isAdd ? addedKeys(transaction.data) : members;
    return allowed.some((key) => key.toLowerCase() === privateFrom) ? null : "notMember";
  }

  return (await checksAt(markerBlock - 1)) ?? (await checksAt(markerBlock)) ?? "unknown";
}

/** The keys an addParticipants adds; empty when their lengths differ, as Besu decodes such a list. */
function addedKeys(data: string): string[] {
  try {
    const [keys] = GROUP_INTERFACE.decodeFunctionData("addParticipants", data) as unknown as [string[]];
    return keys.every((key) => key.length === keys[0].length) ? [...keys] : [];
  } catch {
    return [];
  }
}
