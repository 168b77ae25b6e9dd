/**
 * Why Besu 25.5's privacy precompile dropped a transaction, worked out with Besu's API only: the
 * precompile's checks (FlexiblePrivacyPrecompiledContract.canExecute) replayed on the group's state, read
 * with priv_call. The group's state right before the transaction lies between the end of the block before
 * the marker's and the end of the marker's block (others in the same block may run first), so the checks
 * run at the first, then at the second. The version Besu put in the payload is getVersion at the head when
 * it was sent: here, at `sentAtBlock`, read just before sending, so a change landing between that read and
 * Besu's is not seen. Each client reads the group with its own ABI library; the checks are here, once.
 */

/**
 * Which check dropped it: "locked" (the group was locked and it is not an add to 0x…7c), "unlockedForAdd"
 * (an add while unlocked), "notMember" (its privateFrom was not a member), "versionChanged" (a membership
 * change between sending and execution), "unknown" (none of them: e.g. a revert without revert data, or the
 * group's state unreadable).
 */
export type DropReason = "locked" | "unlockedForAdd" | "notMember" | "versionChanged" | "unknown";

/** The group's state at the end of a block, read by priv_call; null when the node has none there. */
export interface GroupStateReader {
  canExecute(blockTag: number): Promise<boolean | null>;
  getVersion(blockTag: number): Promise<string | null>;
  /** Member keys as 0x-hex. */
  getParticipants(blockTag: number): Promise<readonly string[] | null>;
}

/** What the diagnosis knows of a dropped transaction: its recipients, and what its sender knew when it sent it. */
export interface DropEvidence {
  /** 0x-hex of privateFrom's bytes (a member key may be any length, so keys are compared as bytes). */
  privateFrom: string;
  /** Whether it calls 0x…7c. */
  toGroupProxy: boolean;
  /** For an addParticipants to 0x…7c, the keys it adds as Besu decodes them ([] when their lengths differ); else null. */
  addedKeys: readonly string[] | null;
  /** The block of its marker transaction. */
  markerBlock: number;
  /** The chain head just before it was sent (null: unknown). */
  sentAtBlock: number | null;
}

const NO_VERSION = "0x" + "00".repeat(32);

export async function diagnoseDrop(group: GroupStateReader, dropped: DropEvidence): Promise<DropReason> {
  const { privateFrom, toGroupProxy, addedKeys, markerBlock, sentAtBlock } = dropped;
  const isAdd = addedKeys !== null;
  // Besu's gate treats a group without state as locked, at version zero.
  const versionAt = async (blockTag: number): Promise<string> =>
    ((await group.getVersion(blockTag)) ?? NO_VERSION).toLowerCase();
  let sentVersion: Promise<string> | undefined;

  /** The precompile's checks, in its order, on the group's state at the end of `blockTag`; null if all pass. */
  async function checksAt(blockTag: number): Promise<DropReason | null> {
    const locked = (await group.canExecute(blockTag)) !== true;
    if (isAdd && !locked) return "unlockedForAdd";
    if (locked && !toGroupProxy) return "locked";
    if (sentAtBlock !== null) {
      sentVersion ??= versionAt(sentAtBlock);
      if ((await versionAt(blockTag)) !== (await sentVersion)) return "versionChanged";
    }
    const members = (await group.getParticipants(blockTag)) ?? [];
    const allowed = members.length === 0 && isAdd ? addedKeys : members;
    return allowed.some((key) => key.toLowerCase() === privateFrom.toLowerCase()) ? null : "notMember";
  }

  return (await checksAt(markerBlock - 1)) ?? (await checksAt(markerBlock)) ?? "unknown";
}

/** The keys of an addParticipants as Besu decodes the list: none when their lengths differ. */
export function sameLengthKeys(keys: readonly string[]): string[] {
  return keys.every((key) => key.length === keys[0].length) ? [...keys] : [];
}
