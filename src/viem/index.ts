/**
 * `flexible-privacy-groups/viem`: Besu 25.5 private transactions and flexible privacy groups from viem.
 * Every action is a function taking a viem client first; `privateActions({ enclaveKey })` decorates a
 * wallet client (`walletClient.extend(privateActions({ enclaveKey }))`) and `privatePublicActions()` a
 * public client. The encoding is the project's one codec, byte for byte what Besu and web3js-quorum use.
 */
import type { Abi, Address, Client, ContractFunctionArgs, ContractFunctionName, Hex } from "viem";
import {
  type PrivateClient,
  type PrivateTransactionParameters,
  type SignPrivateTransactionParameters,
  assertExecuted,
  callPrivate,
  debugGetStateRoot,
  deployPrivateContract,
  getPrivateCode,
  getPrivateLogs,
  getPrivateTransactionCount,
  getPrivateTransaction,
  getPrivateTransactionReceipt,
  readPrivateContract,
  sendPrivateTransaction,
  signPrivateTransaction,
  waitForPrivateTransactionReceipt,
  writePrivateContract,
} from "./actions";
import { GROUP_ABI } from "../core/group-abi";
import { type WatchPrivateContractEventParameters, watchPrivateContractEvent } from "./watch";
import {
  addGroupMembers,
  createFlexiblePrivacyGroup,
  findFlexiblePrivacyGroups,
  getGroupHistory,
  getGroupMembers,
  lockGroup,
  removeGroupMember,
  unlockGroup,
  upgradeGroup,
} from "./group";

export * from "./actions";
export * from "./group";
export * from "./watch";
export * from "./errors";
export { generatePrivacyGroupId } from "../core/ids";
export { getPrivateContractAddress } from "../core/codec";
export type { DropReason } from "../core/drop";
export type { Restriction } from "../core/codec";

type Without<T, K extends keyof T> = Omit<T, K>;
/** Omit over each member of a union, so that a union of shapes keeps its members apart. */
type DistributiveWithout<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The reads, for any client (a public client): `publicClient.extend(privatePublicActions())`. */
export function privatePublicActions() {
  return (client: Client) => ({
    getPrivateTransaction: (parameters: { hash: Hex }) => getPrivateTransaction(client, parameters),
    getPrivateTransactionReceipt: (parameters: { hash: Hex }) => getPrivateTransactionReceipt(client, parameters),
    waitForPrivateTransactionReceipt: (parameters: { hash: Hex; pollingInterval?: number; timeout?: number }) =>
      waitForPrivateTransactionReceipt(client, parameters),
    getPrivateTransactionCount: (parameters: { address: Address; privacyGroupId: string }) =>
      getPrivateTransactionCount(client, parameters),
    callPrivate: (parameters: Parameters<typeof callPrivate>[1]) => callPrivate(client, parameters),
    readPrivateContract: <
      const abi extends Abi,
      functionName extends ContractFunctionName<abi, "pure" | "view">,
      const args extends ContractFunctionArgs<abi, "pure" | "view", functionName>,
    >(
      parameters: Parameters<typeof readPrivateContract<abi, functionName, args>>[1],
    ) => readPrivateContract(client, parameters),
    getPrivateLogs: (parameters: Parameters<typeof getPrivateLogs>[1]) => getPrivateLogs(client, parameters),
    getPrivateCode: (parameters: Parameters<typeof getPrivateCode>[1]) => getPrivateCode(client, parameters),
    debugGetStateRoot: (parameters: Parameters<typeof debugGetStateRoot>[1]) => debugGetStateRoot(client, parameters),
    watchPrivateContractEvent: <const abi extends Abi>(parameters: WatchPrivateContractEventParameters<abi>) =>
      watchPrivateContractEvent(client, parameters),
    getGroupMembers: (parameters: { privacyGroupId: string }) => getGroupMembers(client, parameters),
    getGroupHistory: (parameters: { privacyGroupId: string }) => getGroupHistory(client, parameters),
    findFlexiblePrivacyGroups: (parameters: { members: readonly string[] }) =>
      findFlexiblePrivacyGroups(client, parameters),
  });
}

/**
 * The reads and the writes, for a wallet client whose account signs, sending from `enclaveKey` (the
 * base64 key of the node the client talks to): `walletClient.extend(privateActions({ enclaveKey }))`.
 */
export function privateActions({ enclaveKey }: { enclaveKey: string }) {
  return (client: PrivateClient) => ({
    ...privatePublicActions()(client),
    enclaveKey,
    signPrivateTransaction: (parameters: DistributiveWithout<SignPrivateTransactionParameters, "enclaveKey">) =>
      signPrivateTransaction(client, { ...parameters, enclaveKey } as SignPrivateTransactionParameters),
    sendPrivateTransaction: (parameters: Without<PrivateTransactionParameters, "enclaveKey">) =>
      sendPrivateTransaction(client, { ...parameters, enclaveKey }),
    writePrivateContract: <
      const abi extends Abi,
      functionName extends ContractFunctionName<abi, "nonpayable" | "payable">,
      const args extends ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>,
    >(
      parameters: Without<Parameters<typeof writePrivateContract<abi, functionName, args>>[1], "enclaveKey">,
    ) => writePrivateContract(client, { ...parameters, enclaveKey }),
    deployPrivateContract: <const abi extends Abi>(
      parameters: Without<Parameters<typeof deployPrivateContract<abi>>[1], "enclaveKey">,
    ) => deployPrivateContract(client, { ...parameters, enclaveKey }),
    createFlexiblePrivacyGroup: (parameters: { members: readonly string[]; privacyGroupId?: string }) =>
      createFlexiblePrivacyGroup(client, { ...parameters, enclaveKey }),
    addGroupMembers: (parameters: { privacyGroupId: string; members: readonly string[] }) =>
      addGroupMembers(client, { ...parameters, enclaveKey }),
    removeGroupMember: (parameters: { privacyGroupId: string; member: string }) =>
      removeGroupMember(client, { ...parameters, enclaveKey }),
    lockGroup: (parameters: { privacyGroupId: string }) => lockGroup(client, { ...parameters, enclaveKey }),
    unlockGroup: (parameters: { privacyGroupId: string }) => unlockGroup(client, { ...parameters, enclaveKey }),
    upgradeGroup: (parameters: { privacyGroupId: string; implementation: Address }) =>
      upgradeGroup(client, { ...parameters, enclaveKey }),
  });
}

export { GROUP_ABI, assertExecuted };
