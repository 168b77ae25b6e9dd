/**
 * Private transactions from viem: actions that take a viem client first, as viem's own do. They sign with
 * the client's account (`account.sign({ hash })`), encode with the project's one codec (src/core/codec.ts)
 * and speak Besu 25.5's privacy JSON-RPC through the client's transport.
 */
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Client,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type DecodeFunctionResultReturnType,
  type Hex,
  type Transport,
  decodeErrorResult,
  decodeFunctionData,
  decodeFunctionResult,
  encodeDeployData,
  encodeFunctionData,
  numberToHex,
} from "viem";
import { DEFAULT_PRIVATE_GAS_LIMIT, GROUP_PROXY_ADDRESS } from "../core/constants";
import { type GroupStateReader, diagnoseDrop, sameLengthKeys } from "../core/drop";
import { tesseraKeyToBytes } from "../core/keys";
import { PrivacySdkError } from "../core/errors";
import { PrivateTransaction, type Restriction, getPrivateContractAddress } from "../core/codec";
import { type PrivateOutcome, pollPrivateReceipt } from "../core/receipt";
import { type PrivateTransactionFields, parsePrivateLog, parsePrivateReceipt, parsePrivateTransactionResult } from "../core/rpc-results";
import { PrivateNonceManager } from "../core/nonces";
import {
  InvalidPrivateTransactionError,
  PrivateAccountError,
  PrivateActionError,
  PrivateTransactionNotExecutedError,
  PrivateTransactionRevertedError,
} from "./errors";
import { GROUP_ABI } from "../core/group-abi";
import { rpc, someCause } from "./rpc";

/** A client whose account signs: a wallet client made with a local account (private key, mnemonic, custom `sign`). */
export type PrivateClient = Client<Transport, Chain | undefined, Account>;

export interface PrivateTransactionParameters {
  /** The sender's enclave key (base64), Besu's privateFrom. */
  enclaveKey: string;
  privacyGroupId: string;
  /** null or absent: a contract creation. */
  to?: Address | null;
  data?: Hex;
  gas?: bigint;
  gasPrice?: bigint;
  /** Absent: the next one of this account in the group (see sendPrivateTransaction). */
  nonce?: number;
  /** Besu's restriction (default "restricted", the only one Besu 25.5 sends); anything else is refused. */
  restriction?: Restriction;
}

/**
 * What signPrivateTransaction signs: a flexible group's transaction, or a legacy EEA one to `privateFor`
 * (the recipients' enclave keys) instead of a group; never both, as Besu refuses both.
 */
export type SignPrivateTransactionParameters = Omit<PrivateTransactionParameters, "privacyGroupId"> & {
  nonce: number;
} & ({ privacyGroupId: string; privateFor?: undefined } | { privateFor: readonly string[]; privacyGroupId?: undefined });

/** priv_getTransactionReceipt, with `outcome` read from Besu's status and revert reason. */
export interface PrivateTransactionReceipt {
  markerHash: Hex;
  blockHash: Hex;
  blockNumber: bigint;
  from: Address;
  to: Address | null;
  contractAddress: Address | null;
  status: number;
  outcome: PrivateOutcome;
  output: Hex;
  revertReason: Hex | null;
  logs: { address: Address; topics: Hex[]; data: Hex; logIndex: number }[];
  privacyGroupId: string | null;
}

function accountOf(client: PrivateClient): Account & { sign: NonNullable<Account["sign"]> } {
  const account = client.account as Account | undefined;
  if (account === undefined || typeof account.sign !== "function") {
    throw new PrivateAccountError("the client's account cannot sign a private transaction", {
      details:
        "a private transaction is signed by its sender, not by the node: use a local account (privateKeyToAccount, mnemonicToAccount) or one with sign({ hash })",
      docsSection: "accounts",
    });
  }
  return account as Account & { sign: NonNullable<Account["sign"]> };
}

/** The client's chain ID: its chain's, else eth_chainId. */
async function chainIdOf(client: Client): Promise<number> {
  return client.chain?.id ?? Number(await rpc(client).request({ method: "eth_chainId" }));
}

/** The codec's refusals (a 31-byte group ID, an enclave key that is not 32 bytes, …) as viem-style errors. */
function refusal(error: unknown): unknown {
  return error instanceof PrivacySdkError
    ? new InvalidPrivateTransactionError(error.message, {
        details: `code ${error.code}`,
        docsSection: "errors",
        cause: error,
      })
    : error;
}

/** Signs a private transaction with the client's account; returns the signed RLP that eea_sendRawTransaction takes. */
export async function signPrivateTransaction(
  client: PrivateClient,
  parameters: SignPrivateTransactionParameters,
): Promise<Hex> {
  const account = accountOf(client);
  let transaction: PrivateTransaction;
  try {
    transaction = PrivateTransaction.from({
      nonce: parameters.nonce,
      gasPrice: parameters.gasPrice ?? 0n,
      gasLimit: parameters.gas ?? BigInt(DEFAULT_PRIVATE_GAS_LIMIT),
      to: parameters.to ?? null,
      data: parameters.data ?? "0x",
      chainId: await chainIdOf(client),
      privateFrom: parameters.enclaveKey,
      privacyGroupId: parameters.privacyGroupId,
      privateFor: parameters.privateFor,
      restriction: parameters.restriction ?? "restricted",
    });
  } catch (error) {
    throw refusal(error);
  }
  transaction.signature = await account.sign({ hash: transaction.unsignedHash as Hex });
  if (transaction.from !== account.address) {
    throw new PrivateAccountError("the account's signature does not recover to its address", {
      details: `recovered ${transaction.from}, expected ${account.address}`,
      docsSection: "accounts",
    });
  }
  return transaction.serialized as Hex;
}

/** priv_getTransactionCount: the account's nonce in the group at chain head. */
export async function getPrivateTransactionCount(
  client: Client,
  parameters: { address: Address; privacyGroupId: string },
): Promise<number> {
  return Number(
    await rpc(client).request({
      method: "priv_getTransactionCount",
      params: [parameters.address, parameters.privacyGroupId],
    }),
  );
}

/** Per client, per account: the nonces it numbered in each group (the ethers client's nonce manager). */
const nonceManagers = new WeakMap<Client, Map<string, PrivateNonceManager>>();

function noncesOf(client: PrivateClient, address: Address): PrivateNonceManager {
  let byAccount = nonceManagers.get(client);
  if (byAccount === undefined) nonceManagers.set(client, (byAccount = new Map()));
  let manager = byAccount.get(address);
  if (manager === undefined) {
    manager = new PrivateNonceManager((privacyGroupId) =>
      getPrivateTransactionCount(client, { address, privacyGroupId }),
    );
    byAccount.set(address, manager);
  }
  return manager;
}

/**
 * A transaction that did not succeed did not use its nonce, so later ones of the same account in the group
 * will fail too: count again from the chain before the next send (as the ethers client's signer does).
 */
function forgetNonces(client: Client, receipt: PrivateTransactionReceipt): void {
  if (receipt.privacyGroupId === null) return;
  for (const [address, manager] of nonceManagers.get(client) ?? []) {
    if (address.toLowerCase() === receipt.from.toLowerCase()) manager.group(receipt.privacyGroupId).next = null;
  }
}

/**
 * Signs and sends a private transaction (eea_sendRawTransaction); returns its privacy marker transaction's
 * hash. Concurrent sends from one account to one group are numbered in call order, without gaps.
 */
export async function sendPrivateTransaction(
  client: PrivateClient,
  parameters: PrivateTransactionParameters,
): Promise<Hex> {
  const send = async (nonce: number) =>
    (await rpc(client).request({
      method: "eea_sendRawTransaction",
      params: [await signPrivateTransaction(client, { ...parameters, nonce })],
    })) as Hex;
  if (parameters.nonce !== undefined) return send(parameters.nonce);
  return (await noncesOf(client, accountOf(client).address).submit(parameters.privacyGroupId, send, isNonceTooLow))
    .value;
}

/** Besu's refusal of a nonce already used ("Nonce too low"), anywhere in viem's chain of causes. */
const isNonceTooLow = (error: unknown): boolean =>
  someCause<{ details?: unknown; message?: unknown }>(error, (cause) => /nonce too low/i.test(String(cause.details ?? cause.message ?? "")));

/** priv_getPrivateTransaction (src/core/rpc-results.ts), with viem's types for addresses and data. */
export interface PrivateTransactionResult extends Omit<PrivateTransactionFields, "from" | "to" | "input"> {
  from: Address;
  to: Address | null;
  input: Hex;
}

/** priv_getPrivateTransaction by marker hash; null if this node's enclave cannot read it (not a member). */
export async function getPrivateTransaction(
  client: Client,
  parameters: { hash: Hex },
): Promise<PrivateTransactionResult | null> {
  const raw = (await rpc(client).request({ method: "priv_getPrivateTransaction", params: [parameters.hash] })) as Record<
    string,
    unknown
  > | null;
  return raw === null ? null : (parsePrivateTransactionResult(raw) as PrivateTransactionResult);
}

/** priv_getTransactionReceipt; null while the marker is not mined, or on a node that is not a member. */
export async function getPrivateTransactionReceipt(
  client: Client,
  parameters: { hash: Hex },
): Promise<PrivateTransactionReceipt | null> {
  const raw = (await rpc(client).request({
    method: "priv_getTransactionReceipt",
    params: [parameters.hash],
  })) as Record<string, unknown> | null;
  if (raw === null) return null;
  const receipt = parsePrivateReceipt(raw, parameters.hash);
  return {
    markerHash: receipt.markerHash as Hex,
    blockHash: receipt.blockHash as Hex,
    blockNumber: BigInt(receipt.blockNumber),
    from: receipt.from as Address,
    to: receipt.to as Address | null,
    contractAddress: receipt.contractAddress as Address | null,
    status: receipt.status,
    outcome: receipt.outcome,
    output: receipt.output as Hex,
    revertReason: receipt.revertReason as Hex | null,
    logs: receipt.logs.map(({ address, topics, data, logIndex }) => ({ address: address as Address, topics: topics as Hex[], data: data as Hex, logIndex })),
    privacyGroupId: receipt.privacyGroupId,
  };
}

/**
 * Polls for the private receipt, whatever its outcome; `timeout` (ms, default 120,000) bounds the wait, and
 * once the marker is mined a node with no private receipt (not a member) is given up on after a few reads,
 * by the ethers client's rule (src/core/receipt.ts).
 */
export async function waitForPrivateTransactionReceipt(
  client: Client,
  parameters: { hash: Hex; pollingInterval?: number; timeout?: number },
): Promise<PrivateTransactionReceipt> {
  const timeout = parameters.timeout ?? 120_000;
  const receipt = await pollPrivateReceipt(
    {
      privateReceipt: () => getPrivateTransactionReceipt(client, parameters),
      markerMined: async () => (await rpc(client).request({ method: "eth_getTransactionReceipt", params: [parameters.hash] })) !== null,
    },
    { timeout, pollingInterval: parameters.pollingInterval ?? client.pollingInterval },
    (failure) =>
      failure === "unavailable"
        ? new PrivateActionError("no private receipt on this node", {
            details: `marker ${parameters.hash} is mined, and this node has no private receipt for it: it is not a member of the group`,
            docsSection: "errors",
          })
        : new PrivateActionError("no private receipt in time", {
            details: `marker ${parameters.hash} was not mined within ${timeout} ms`,
            docsSection: "errors",
          }),
  );
  if (receipt.outcome !== "success") forgetNonces(client, receipt);
  return receipt;
}

/** A revert's error, its data decoded against `abi` (a custom error with its arguments) where the ABI knows it. */
function revertedWith(markerHash: string, data: Hex, abi: Abi): PrivateTransactionRevertedError {
  try {
    const decoded = decodeErrorResult({ abi, data });
    return new PrivateTransactionRevertedError(
      markerHash,
      data,
      decoded.errorName,
      (decoded.args as readonly unknown[] | undefined) ?? [],
    );
  } catch {
    return new PrivateTransactionRevertedError(markerHash, data, null, []);
  }
}

/** The receipt of a successful transaction; a revert (decoded against `abi`) or a drop throws. */
export function assertExecuted(receipt: PrivateTransactionReceipt, abi: Abi = []): PrivateTransactionReceipt {
  if (receipt.outcome === "success") return receipt;
  if (receipt.outcome === "reverted") {
    throw revertedWith(receipt.markerHash, receipt.revertReason!, abi);
  }
  throw new PrivateTransactionNotExecutedError(receipt.markerHash, receipt.outcome);
}

/** A block tag as Besu's JSON-RPC takes it. */
const blockParam = (tag: "latest" | bigint | undefined): string =>
  tag === undefined || tag === "latest" ? "latest" : numberToHex(tag);

/** priv_call: a read in the group's private state. A revert throws viem's RPC error (readPrivateContract decodes it). */
export async function callPrivate(
  client: Client,
  parameters: { privacyGroupId: string; to: Address; data: Hex; from?: Address; blockTag?: "latest" | bigint },
): Promise<Hex> {
  const block = blockParam(parameters.blockTag);
  const call: Record<string, string> = { to: parameters.to, data: parameters.data };
  if (parameters.from !== undefined) call.from = parameters.from;
  return ((await rpc(client).request({ method: "priv_call", params: [parameters.privacyGroupId, call, block] })) ??
    "0x") as Hex;
}

/** Reads a view function of a contract in the group (priv_call), typed by its ABI as viem's readContract is. */
export async function readPrivateContract<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, "pure" | "view">,
  const args extends ContractFunctionArgs<abi, "pure" | "view", functionName>,
>(
  client: Client,
  parameters: {
    privacyGroupId: string;
    address: Address;
    abi: abi;
    functionName: functionName;
    args?: args;
    from?: Address;
    /** The block whose end state is read (default: latest). */
    blockTag?: "latest" | bigint;
  },
): Promise<DecodeFunctionResultReturnType<abi, functionName, args>> {
  const { abi, functionName, args } = parameters;
  const data = encodeFunctionData({ abi, functionName, args } as never);
  let result: Hex;
  try {
    result = await callPrivate(client, {
      privacyGroupId: parameters.privacyGroupId,
      to: parameters.address,
      data,
      from: parameters.from,
      blockTag: parameters.blockTag,
    });
  } catch (error) {
    const revert =
      (error as { data?: unknown; cause?: { data?: unknown } }).cause?.data ?? (error as { data?: unknown }).data;
    if (typeof revert === "string" && revert.startsWith("0x")) throw revertedWith("0x", revert as Hex, abi);
    throw error;
  }
  return decodeFunctionResult({ abi, functionName, args, data: result } as never) as DecodeFunctionResultReturnType<
    abi,
    functionName,
    args
  >;
}

/**
 * Calls a function of a contract in the group privately; resolves to the private receipt once executed, or
 * throws the decoded revert or the drop.
 */
export async function writePrivateContract<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, "nonpayable" | "payable">,
  const args extends ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>,
>(
  client: PrivateClient,
  parameters: {
    enclaveKey: string;
    privacyGroupId: string;
    address: Address;
    abi: abi;
    functionName: functionName;
    args?: args;
  },
): Promise<PrivateTransactionReceipt> {
  const { abi, functionName, args } = parameters;
  const data = encodeFunctionData({ abi, functionName, args } as never);
  return executed(
    client,
    { enclaveKey: parameters.enclaveKey, privacyGroupId: parameters.privacyGroupId, to: parameters.address, data },
    abi,
  );
}

/** How often a transaction invalid at execution (a nonce made stale by an earlier failure) is re-sent, as the ethers client does. */
const MAX_ATTEMPTS = 8;

/**
 * Sends and waits; re-sends with a fresh nonce while it was invalid at execution; throws a revert, or a drop
 * with its reason (src/core/drop.ts: the precompile's checks replayed on the group's state).
 */
async function executed(
  client: PrivateClient,
  parameters: PrivateTransactionParameters,
  abi: Abi,
): Promise<PrivateTransactionReceipt> {
  for (let attempt = 1; ; attempt++) {
    // The head when it was sent: a version that changed since then is a reason for a drop.
    const sentAtBlock = await headOf(client);
    const receipt = await waitForPrivateTransactionReceipt(client, {
      hash: await sendPrivateTransaction(client, parameters),
    });
    if (receipt.outcome === "invalid" && attempt < MAX_ATTEMPTS) continue;
    if (receipt.outcome !== "dropped") return assertExecuted(receipt, abi);
    const reason = await diagnoseDrop(groupReader(client, parameters.privacyGroupId, client.account.address), {
      privateFrom: tesseraKeyToBytes(parameters.enclaveKey),
      toGroupProxy: parameters.to?.toLowerCase() === GROUP_PROXY_ADDRESS,
      addedKeys: addedKeys(parameters),
      markerBlock: Number(receipt.blockNumber),
      sentAtBlock,
    });
    throw new PrivateTransactionNotExecutedError(receipt.markerHash, "dropped", reason);
  }
}

/** The chain head, or null if the node will not say (a JWT without eth_ permissions): only a drop's diagnosis needs it. */
async function headOf(client: Client): Promise<number | null> {
  try {
    return Number(await rpc(client).request({ method: "eth_blockNumber" }));
  } catch {
    return null;
  }
}

/** The group's state at the end of a block, read with priv_call at 0x…7c; null where there is none. */
function groupReader(client: Client, privacyGroupId: string, from: Address): GroupStateReader {
  const read = async (
    functionName: "canExecute" | "getVersion" | "getParticipants",
    blockTag: number,
  ): Promise<unknown> => {
    try {
      return await readPrivateContract(client, {
        privacyGroupId,
        address: GROUP_PROXY_ADDRESS as Address,
        abi: GROUP_ABI,
        functionName,
        from,
        blockTag: BigInt(blockTag),
      });
    } catch {
      return null;
    }
  };
  return {
    canExecute: async (blockTag) => (await read("canExecute", blockTag)) as boolean | null,
    getVersion: async (blockTag) => (await read("getVersion", blockTag)) as string | null,
    getParticipants: async (blockTag) => (await read("getParticipants", blockTag)) as readonly string[] | null,
  };
}

/** For an addParticipants to 0x…7c, the keys it adds, as Besu decodes them; else null. */
function addedKeys(parameters: PrivateTransactionParameters): readonly string[] | null {
  if (parameters.to?.toLowerCase() !== GROUP_PROXY_ADDRESS || parameters.data === undefined) return null;
  try {
    const call = decodeFunctionData({ abi: GROUP_ABI, data: parameters.data });
    return call.functionName === "addParticipants" ? sameLengthKeys(call.args[0] as readonly string[]) : null;
  } catch {
    return null;
  }
}

/** Deploys a contract in the group; resolves to its address (Besu's private contract address) once deployed. */
export async function deployPrivateContract<const abi extends Abi>(
  client: PrivateClient,
  parameters: { enclaveKey: string; privacyGroupId: string; abi: abi; bytecode: Hex; args?: readonly unknown[] },
): Promise<{ address: Address; receipt: PrivateTransactionReceipt }> {
  const data = encodeDeployData({ abi: parameters.abi, bytecode: parameters.bytecode, args: parameters.args } as never);
  const receipt = await executed(
    client,
    { enclaveKey: parameters.enclaveKey, privacyGroupId: parameters.privacyGroupId, data },
    parameters.abi,
  );
  const address = (receipt.contractAddress ?? (await creationAddress(client, receipt.markerHash))) as Address;
  return { address, receipt };
}

/** Besu's formula, for a node whose receipt leaves out contractAddress. */
async function creationAddress(client: Client, hash: Hex): Promise<string> {
  const tx = (await getPrivateTransaction(client, { hash }))!; // the sender's node reads its own transaction
  return getPrivateContractAddress(tx.from, tx.nonce, tx.privacyGroupId!);
}

/** priv_getLogs of the group, raw as Besu gives them. */
export async function getPrivateLogs(
  client: Client,
  parameters: {
    privacyGroupId: string;
    address?: Address;
    topics?: (Hex | Hex[] | null)[];
    fromBlock?: bigint;
    toBlock?: bigint;
  },
): Promise<
  { address: Address; topics: Hex[]; data: Hex; blockNumber: bigint; logIndex: number; transactionHash: Hex }[]
> {
  const filter: Record<string, unknown> = {};
  if (parameters.address !== undefined) filter.address = parameters.address;
  if (parameters.topics !== undefined) filter.topics = parameters.topics;
  if (parameters.fromBlock !== undefined) filter.fromBlock = numberToHex(parameters.fromBlock);
  if (parameters.toBlock !== undefined) filter.toBlock = numberToHex(parameters.toBlock);
  const logs = (await rpc(client).request({
    method: "priv_getLogs",
    params: [parameters.privacyGroupId, filter],
  })) as Record<string, unknown>[];
  return logs.map((raw) => {
    const log = parsePrivateLog(raw);
    return {
      address: log.address as Address,
      topics: log.topics as Hex[],
      data: log.data as Hex,
      blockNumber: BigInt(log.blockNumber),
      logIndex: log.logIndex,
      transactionHash: log.transactionHash as Hex,
    };
  });
}

/** priv_getCode: null when the account does not exist in the group. */
export async function getPrivateCode(
  client: Client,
  parameters: { privacyGroupId: string; address: Address },
): Promise<Hex | null> {
  return (await rpc(client).request({
    method: "priv_getCode",
    params: [parameters.privacyGroupId, parameters.address, "latest"],
  })) as Hex | null;
}

/** priv_debugGetStateRoot: the group's private state root as of the block. */
export async function debugGetStateRoot(
  client: Client,
  parameters: { privacyGroupId: string; blockTag?: "latest" | bigint },
): Promise<Hex> {
  return (await rpc(client).request({
    method: "priv_debugGetStateRoot",
    params: [parameters.privacyGroupId, blockParam(parameters.blockTag)],
  })) as Hex;
}
