import { type DropReason, type GroupStateReader, diagnoseDrop as diagnose, sameLengthKeys } from "../core/drop";
import type { PrivateTransaction } from "./transaction";
import { GROUP_PROXY_ADDRESS } from "../core/constants";
import { tesseraKeyToBytes } from "../core/keys";
import { GROUP_INTERFACE } from "./group";
import type { PrivacyProvider } from "./provider";

const ADD_SELECTOR = GROUP_INTERFACE.getFunction("addParticipants")!.selector;

/** A dropped transaction of the ethers client, and what the signer knew when it sent it. */
export interface DroppedTransaction {
  transaction: PrivateTransaction;
  /** The block of its marker transaction. */
  markerBlock: number;
  /** The chain head just before it was sent (null: unknown). */
  sentAtBlock: number | null;
}

/** Why the precompile dropped it (src/core/drop.ts), reading the group with the ethers provider. */
export async function diagnoseDrop(provider: PrivacyProvider, dropped: DroppedTransaction): Promise<DropReason> {
  const { transaction } = dropped;
  const groupId = transaction.privacyGroupId;
  if (groupId === null || transaction.privateFrom === null) return "unknown";

  /** One group read; null when the node has no group state there. */
  const read = async (method: "canExecute" | "getVersion" | "getParticipants", blockTag: number): Promise<unknown> => {
    try {
      const output = await provider.privCall(
        groupId,
        {
          to: GROUP_PROXY_ADDRESS,
          data: GROUP_INTERFACE.encodeFunctionData(method),
          from: transaction.from ?? undefined,
        },
        blockTag,
      );
      return output === "0x" ? null : GROUP_INTERFACE.decodeFunctionResult(method, output)[0];
    } catch {
      return null;
    }
  };
  const group: GroupStateReader = {
    canExecute: async (blockTag) => (await read("canExecute", blockTag)) as boolean | null,
    getVersion: async (blockTag) => (await read("getVersion", blockTag)) as string | null,
    getParticipants: async (blockTag) => ((await read("getParticipants", blockTag)) as string[] | null) ?? null,
  };
  const toGroupProxy = transaction.to === GROUP_PROXY_ADDRESS;
  return diagnose(group, {
    privateFrom: tesseraKeyToBytes(transaction.privateFrom),
    toGroupProxy,
    addedKeys: toGroupProxy && transaction.data.startsWith(ADD_SELECTOR) ? addedKeys(transaction.data) : null,
    markerBlock: dropped.markerBlock,
    sentAtBlock: dropped.sentAtBlock,
  });
}

/** The keys an addParticipants adds, as Besu decodes the list. */
function addedKeys(data: string): string[] {
  try {
    const [keys] = GROUP_INTERFACE.decodeFunctionData("addParticipants", data) as unknown as [string[]];
    return sameLengthKeys(keys);
  } catch {
    return [];
  }
}
