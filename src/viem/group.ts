/**
 * Flexible privacy groups from viem: create, read and change a group through its proxy at 0x…7c, with the
 * management ABI the package's contracts compile to (TypeChain's, so viem types every call).
 */
import type { Address, Client, Hex } from "viem";
import { GROUP_PROXY_ADDRESS } from "../core/constants";
import { membershipHistoryFromLogs, type MembershipChange } from "../core/history";
import { generatePrivacyGroupId } from "../core/ids";
import { bytesToTesseraKey, tesseraKeyToBytes } from "../core/keys";
import {
  type PrivateClient,
  type PrivateTransactionReceipt,
  getPrivateLogs,
  readPrivateContract,
  writePrivateContract,
} from "./actions";
import { GROUP_ABI } from "../core/group-abi";
import { rpc } from "./rpc";

const PROXY = GROUP_PROXY_ADDRESS as Address;
const keysToBytes = (keys: readonly string[]): Hex[] => keys.map((key) => tesseraKeyToBytes(key) as Hex);

/** Who sends a group's management transactions: the client's account, from its node's enclave key. */
export interface GroupSender {
  enclaveKey: string;
  privacyGroupId: string;
}

function manage(
  client: PrivateClient,
  sender: GroupSender,
  functionName: "addParticipants" | "removeParticipant" | "lock" | "unlock" | "upgradeTo",
  args?: readonly unknown[],
) {
  return writePrivateContract(client, {
    ...sender,
    address: PROXY,
    abi: GROUP_ABI,
    functionName,
    args,
  } as never) as Promise<PrivateTransactionReceipt>;
}

/**
 * Creates a flexible privacy group whose members are `members` (base64 enclave keys; the sender's own key is
 * added if missing) and whose owner is the client's account. Resolves once the group exists.
 */
export async function createFlexiblePrivacyGroup(
  client: PrivateClient,
  parameters: { enclaveKey: string; members: readonly string[]; privacyGroupId?: string },
): Promise<{ privacyGroupId: string; receipt: PrivateTransactionReceipt }> {
  const privacyGroupId = parameters.privacyGroupId ?? generatePrivacyGroupId();
  const members = [...new Set([parameters.enclaveKey, ...parameters.members])];
  const receipt = await manage(client, { enclaveKey: parameters.enclaveKey, privacyGroupId }, "addParticipants", [
    keysToBytes(members),
  ]);
  return { privacyGroupId, receipt };
}

/** The group's members (getParticipants), as base64 enclave keys, in the contract's order. */
export async function getGroupMembers(client: Client, parameters: { privacyGroupId: string }): Promise<string[]> {
  const keys = await readPrivateContract(client, {
    privacyGroupId: parameters.privacyGroupId,
    address: PROXY,
    abi: GROUP_ABI,
    functionName: "getParticipants",
  });
  return (keys as readonly Hex[]).map((key) => bytesToTesseraKey(key));
}

/** privx_findFlexiblePrivacyGroup: the groups this node knows whose members include all `keys`. */
export async function findFlexiblePrivacyGroups(
  client: Client,
  parameters: { members: readonly string[] },
): Promise<{ privacyGroupId: string; members: string[] }[]> {
  const found = (await rpc(client).request({
    method: "privx_findFlexiblePrivacyGroup",
    params: [[...parameters.members]],
  })) as { privacyGroupId: string; members: string[] }[];
  return found.map(({ privacyGroupId, members }) => ({ privacyGroupId, members }));
}

/**
 * Adds members as Besu's clients do: lock, addParticipants (which unlocks), and on a failure unlock again
 * so the group is not left locked; the failure is thrown either way.
 */
export async function addGroupMembers(
  client: PrivateClient,
  parameters: GroupSender & { members: readonly string[] },
): Promise<PrivateTransactionReceipt> {
  await lockGroup(client, parameters);
  try {
    return await manage(client, parameters, "addParticipants", [keysToBytes(parameters.members)]);
  } catch (addError) {
    const canExecute = await readPrivateContract(client, {
      privacyGroupId: parameters.privacyGroupId,
      address: PROXY,
      abi: GROUP_ABI,
      functionName: "canExecute",
    });
    if (!canExecute) await unlockGroup(client, parameters);
    throw addError;
  }
}

export function removeGroupMember(
  client: PrivateClient,
  parameters: GroupSender & { member: string },
): Promise<PrivateTransactionReceipt> {
  return manage(client, parameters, "removeParticipant", [tesseraKeyToBytes(parameters.member)]);
}

export function lockGroup(client: PrivateClient, parameters: GroupSender): Promise<PrivateTransactionReceipt> {
  return manage(client, parameters, "lock");
}

export function unlockGroup(client: PrivateClient, parameters: GroupSender): Promise<PrivateTransactionReceipt> {
  return manage(client, parameters, "unlock");
}

/** Points the group's proxy at another management contract, deployed privately in the group. */
export function upgradeGroup(
  client: PrivateClient,
  parameters: GroupSender & { implementation: Address },
): Promise<PrivateTransactionReceipt> {
  return manage(client, parameters, "upgradeTo", [parameters.implementation]);
}

/** Every membership change of the group, in chain order (priv_getLogs of 0x…7b/0x…7c): ready for decideAccess. */
export async function getGroupHistory(
  client: Client,
  parameters: { privacyGroupId: string },
): Promise<MembershipChange[]> {
  return membershipHistoryFromLogs(
    await getPrivateLogs(client, { privacyGroupId: parameters.privacyGroupId, fromBlock: 0n }),
  );
}
