/**
 * watchPrivateContractEvent: a contract's events in a group, decoded against its ABI. Over viem's webSocket
 * transport it subscribes (priv_subscribe, Besu pushes each log); over any other transport it polls
 * priv_getLogs. viem's socket client routes only eth_subscription notifications, so the priv_subscription
 * ones are read from the transport's socket here.
 */
import { type Abi, type Client, type DecodeEventLogReturnType, type Hex, type Address, decodeEventLog } from "viem";
import { getPrivateLogs } from "./actions";
import { rpc } from "./rpc";
import { PrivateActionError } from "./errors";

/** An event watchPrivateContractEvent saw: decoded against the ABI, with where it was emitted. */
export type WatchedPrivateLog<abi extends Abi> = DecodeEventLogReturnType<abi> & {
  blockNumber: bigint;
  transactionHash: Hex;
};

export interface WatchPrivateContractEventParameters<abi extends Abi> {
  privacyGroupId: string;
  address: Address;
  abi: abi;
  onLogs: (logs: WatchedPrivateLog<abi>[]) => void;
  onError?: (error: Error) => void;
  /** Poll priv_getLogs even over a WebSocket (default: subscribe there, poll elsewhere), as viem's `poll`. */
  poll?: boolean;
  pollingInterval?: number;
}

type RawLog = { data: Hex; topics: Hex[]; blockNumber: bigint | string; transactionHash: Hex };

/** Decodes the logs against the ABI, in the order given; a log of another ABI at the same address is skipped. */
function decodeLogs<abi extends Abi>(abi: abi, logs: readonly RawLog[]): WatchedPrivateLog<abi>[] {
  return logs.flatMap((log) => {
    try {
      const event = decodeEventLog({ abi, data: log.data, topics: log.topics as [Hex, ...Hex[]] });
      return [{ ...event, blockNumber: BigInt(log.blockNumber), transactionHash: log.transactionHash } as WatchedPrivateLog<abi>];
    } catch {
      return [];
    }
  });
}

/** What a webSocket transport offers (viem's `webSocket()`): its socket client, whose `socket` is the WebSocket. */
type SocketTransport = { type: string; getRpcClient?: () => Promise<{ socket: EventTarget }> };

/**
 * Watches a contract's events in the group; returns the function that stops watching. Each batch goes to
 * `onLogs` in chain order: a block's logs when polling, one log per notification when subscribed.
 */
export function watchPrivateContractEvent<const abi extends Abi>(
  client: Client,
  parameters: WatchPrivateContractEventParameters<abi>,
): () => void {
  const transport = client.transport as unknown as SocketTransport;
  const subscribe = transport.type === "webSocket" && parameters.poll !== true && transport.getRpcClient !== undefined;
  return subscribe ? subscribed(client, transport, parameters) : polled(client, parameters);
}

/** Polls priv_getLogs from the block after the last one seen (the first poll sets where watching starts). */
function polled<abi extends Abi>(client: Client, parameters: WatchPrivateContractEventParameters<abi>): () => void {
  let stopped = false;
  let fromBlock: bigint | undefined;
  const poll = async () => {
    try {
      const head = BigInt((await rpc(client).request({ method: "eth_blockNumber" })) as string);
      if (fromBlock === undefined) fromBlock = head + 1n;
      if (head >= fromBlock) {
        const logs = await getPrivateLogs(client, {
          privacyGroupId: parameters.privacyGroupId,
          address: parameters.address,
          fromBlock,
          toBlock: head,
        });
        fromBlock = head + 1n;
        const decoded = decodeLogs(parameters.abi, logs);
        if (decoded.length > 0 && !stopped) parameters.onLogs(decoded);
      }
    } catch (error) {
      parameters.onError?.(error as Error);
    }
    if (!stopped) timer = setTimeout(poll, parameters.pollingInterval ?? client.pollingInterval);
  };
  let timer = setTimeout(poll, 0);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * priv_subscribe [group, "logs", { address }] on the transport's socket. Notifications that arrive before
 * the subscription's ID are kept and matched once it is known. A closed socket ends the subscription with
 * an error (Besu forgets subscriptions with their connection).
 */
function subscribed<abi extends Abi>(
  client: Client,
  transport: SocketTransport,
  parameters: WatchPrivateContractEventParameters<abi>,
): () => void {
  let stopped = false;
  let id: string | undefined;
  const early: { subscription: string; result: RawLog }[] = [];
  const deliver = (log: RawLog) => {
    const decoded = decodeLogs(parameters.abi, [log]);
    if (decoded.length > 0 && !stopped) parameters.onLogs(decoded);
  };
  const onMessage = (event: Event) => {
    let message: { method?: string; params?: { subscription: string; result: RawLog } };
    try {
      message = JSON.parse(String((event as MessageEvent).data));
    } catch {
      return; // not JSON: not ours
    }
    if (message.method !== "priv_subscription" || message.params === undefined) return;
    if (id === undefined) early.push(message.params);
    else if (message.params.subscription === id) deliver(message.params.result);
  };
  const onClose = () => {
    if (!stopped) parameters.onError?.(new PrivateActionError("the WebSocket closed: the private log subscription ended", { docsSection: "watching-events" }));
  };
  let socket: EventTarget | undefined;
  const started = (async () => {
    socket = (await transport.getRpcClient!()).socket;
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", onClose);
    id = (await rpc(client).request({
      method: "priv_subscribe",
      params: [parameters.privacyGroupId, "logs", { address: parameters.address }],
    })) as string;
    for (const notification of early.splice(0)) if (notification.subscription === id) deliver(notification.result);
  })().catch((error: unknown) => {
    parameters.onError?.(error as Error);
  });
  return () => {
    stopped = true;
    void started.then(async () => {
      socket?.removeEventListener("message", onMessage);
      socket?.removeEventListener("close", onClose);
      if (id === undefined) return;
      await rpc(client)
        .request({ method: "priv_unsubscribe", params: [parameters.privacyGroupId, id] })
        .catch(() => undefined); // the socket may have closed: Besu forgot the subscription with it
    });
  };
}
