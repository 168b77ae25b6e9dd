import { randomBytes } from "node:crypto";
import { Interface, Wallet } from "ethers";
import { DEFAULT_NODES } from "../../../src/network/defaults";
import { call } from "./rpc";
import { signPrivateTx } from "./private-tx";

export const PROXY = "0x000000000000000000000000000000000000007c";
export const MANAGEMENT = "0x000000000000000000000000000000000000007b";
export const management = new Interface([
  "function addParticipants(bytes[] publicEnclaveKeys) returns (bool)",
  "function removeParticipant(bytes participant) returns (bool)",
  "function getParticipants() view returns (bytes[])",
  "function lock()",
  "function unlock()",
  "function canExecute() view returns (bool)",
  "function getVersion() view returns (bytes32)",
  "function upgradeTo(address)",
  "function implementation() view returns (address)",
  "event ParticipantAdded(bool success, bytes publicEnclaveKey, string message)",
  "event ParticipantRemoved(bytes publicEnclaveKey)",
]);

export const [KEY1, KEY2, KEY3] = DEFAULT_NODES.map((node) => node.enclaveKey);
export const [SIGNER1, SIGNER2, SIGNER3] = DEFAULT_NODES.map((node) => new Wallet(node.privateKey));

/** A fresh signer (Wallet.createRandom derives a mnemonic, which is slow). */
export const randomSigner = (): Wallet => new Wallet("0x" + randomBytes(32).toString("hex"));
export const newGroupId = (): string => randomBytes(32).toString("base64");
export const keyBytes = (key: string): string => "0x" + Buffer.from(key, "base64").toString("hex");

export interface Send {
  url: string;
  signer: Wallet;
  privateFrom: string;
  groupId: string;
  to: string | null;
  data: string;
  /** Default: priv_getTransactionCount on this node. */
  nonce?: number;
  chainId?: number;
}

/** Signs and sends a private transaction with eea_sendRawTransaction; returns the marker hash. */
export async function sendPrivate(send: Send): Promise<string> {
  const nonce = send.nonce ?? Number(await call<string>(send.url, "priv_getTransactionCount", [send.signer.address, send.groupId]));
  const raw = signPrivateTx(
    { nonce, to: send.to, data: send.data, privateFrom: send.privateFrom, privacyGroupId: send.groupId, chainId: send.chainId },
    send.signer.privateKey,
  );
  return call<string>(send.url, "eea_sendRawTransaction", [raw]);
}

export type PrivateReceipt = {
  status: string;
  output: string;
  logs: { address: string; topics: string[]; data: string; logIndex: string; blockNumber: string; transactionHash: string }[];
  revertReason?: string;
  contractAddress?: string;
  commitmentHash: string;
  blockNumber: string;
  privacyGroupId: string;
} & Record<string, unknown>;

export async function receipt(url: string, markerHash: string): Promise<PrivateReceipt | null> {
  return call<PrivateReceipt | null>(url, "priv_getTransactionReceipt", [markerHash]);
}

export const addData = (keys: string[]): string => management.encodeFunctionData("addParticipants", [keys.map(keyBytes)]);
export const removeData = (key: string): string => management.encodeFunctionData("removeParticipant", [keyBytes(key)]);
export const lockData = (): string => management.encodeFunctionData("lock");
export const unlockData = (): string => management.encodeFunctionData("unlock");

/** Members as the node's priv_call of getParticipants() reads them, in base64. */
export async function participants(url: string, groupId: string, block = "latest"): Promise<string[]> {
  const output = await call<string>(url, "priv_call", [groupId, { to: PROXY, data: management.encodeFunctionData("getParticipants") }, block]);
  if (output === "0x") return [];
  const [keys] = management.decodeFunctionResult("getParticipants", output);
  return (keys as string[]).map((key) => Buffer.from(key.slice(2), "hex").toString("base64"));
}

/** Creates a group owned by `signer` from node `url`; returns its id and the creation's marker hash. */
export async function createGroup(url: string, signer: Wallet, privateFrom: string, members: string[]): Promise<{ groupId: string; markerHash: string }> {
  const groupId = newGroupId();
  const markerHash = await sendPrivate({ url, signer, privateFrom, groupId, to: PROXY, data: addData(members) });
  return { groupId, markerHash };
}

/** Sends a marker transaction for an already distributed payload, as a client of priv_distributeRawTransaction does. */
export async function sendMarker(url: string, data: string, gasLimit = 3_000_000): Promise<string> {
  const marker = await randomSigner().signTransaction({ type: 0, to: "0x000000000000000000000000000000000000007d", data, gasLimit, gasPrice: 0, nonce: 0 });
  return call<string>(url, "eth_sendRawTransaction", [marker]);
}

/** Signs a private transaction with the node's current nonce for the signer (unless given). */
export async function signFor(send: Send): Promise<string> {
  const nonce = send.nonce ?? Number(await call<string>(send.url, "priv_getTransactionCount", [send.signer.address, send.groupId]));
  return signPrivateTx(
    { nonce, to: send.to, data: send.data, privateFrom: send.privateFrom, privacyGroupId: send.groupId, chainId: send.chainId },
    send.signer.privateKey,
  );
}
