import type { JsonRpcPayload, JsonRpcResult } from "ethers";
import { PrivacySdkError } from "../core/errors";

/**
 * WEBSOCKET_UNAVAILABLE: the `ws` package (a dependency of ethers 6) cannot be loaded. SOCKET_CLOSED: the
 * socket closed (or never opened) before the answer came; every request and subscription on it ends.
 */
export type PrivacySocketErrorCode = "WEBSOCKET_UNAVAILABLE" | "SOCKET_CLOSED";

export class PrivacySocketError extends PrivacySdkError<PrivacySocketErrorCode> {}

/** The part of the `ws` package's WebSocket this client uses. */
interface WsSocket {
  readonly readyState: number;
  send(text: string): void;
  close(): void;
  on(event: "open", listener: () => void): void;
  on(event: "message", listener: (data: Buffer | ArrayBuffer | Buffer[]) => void): void;
  on(event: "close", listener: (code: number, reason: Buffer) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
}
type WsConstructor = new (url: string, options: { headers: Record<string, string> }) => WsSocket;

const OPEN = 1;

interface Pending {
  answer(result: JsonRpcResult): void;
  fail(error: Error): void;
}

/** What a subscription is told: each notification's `params`, and the end of the socket. */
export interface SocketSubscriber {
  onNotification(params: Record<string, unknown>): void;
  onEnd(error: PrivacySocketError): void;
}

/**
 * JSON-RPC over one WebSocket to a Besu node (or the development network): requests matched to answers by
 * id, and notifications (`priv_subscription`, `eth_subscription`) routed by subscription id. The JWT of a
 * multi-tenant node goes on the upgrade request, where Besu reads it for every message of the socket.
 */
export class PrivacySocket {
  readonly url: string;
  readonly #opened: Promise<WsSocket>;
  readonly #pending = new Map<number | string, Pending>();
  readonly #subscribers = new Map<string, SocketSubscriber>();
  #closed: PrivacySocketError | null = null;

  constructor(url: string, token?: () => string | Promise<string>) {
    this.url = url;
    this.#opened = this.#open(token);
    this.#opened.catch(() => undefined); // seen by the first request
  }

  /** Sends one request or a batch; resolves with the answers (errors included), in any order. */
  async request(payload: JsonRpcPayload | JsonRpcPayload[], onAnswer?: (results: JsonRpcResult[]) => void): Promise<JsonRpcResult[]> {
    const socket = await this.#opened;
    const payloads = Array.isArray(payload) ? payload : [payload];
    return new Promise((resolve, reject) => {
      if (this.#closed !== null) return reject(this.#closed);
      const results: JsonRpcResult[] = [];
      for (const { id } of payloads) {
        this.#pending.set(id, {
          answer: (result) => {
            results.push(result);
            if (results.length < payloads.length) return;
            onAnswer?.(results); // before any later message: a subscription's first notification finds its subscriber
            resolve(results);
          },
          fail: reject,
        });
      }
      socket.send(JSON.stringify(payload));
    });
  }

  /** Routes the notifications of `subscriptionId` to `subscriber` until `forget`. */
  listen(subscriptionId: string, subscriber: SocketSubscriber): void {
    this.#subscribers.set(subscriptionId.toLowerCase(), subscriber);
  }

  forget(subscriptionId: string): void {
    this.#subscribers.delete(subscriptionId.toLowerCase());
  }

  /** How many subscriptions this socket routes. */
  get subscriptionCount(): number {
    return this.#subscribers.size;
  }

  async close(): Promise<void> {
    this.#end(new PrivacySocketError("SOCKET_CLOSED", `the socket to ${this.url} was closed by this client`));
    (await this.#opened.catch(() => null))?.close();
  }

  async #open(token?: () => string | Promise<string>): Promise<WsSocket> {
    let WebSocket: WsConstructor;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a WebSocket is used
      WebSocket = (require("ws") as { WebSocket: WsConstructor }).WebSocket;
    } catch (error) {
      throw new PrivacySocketError("WEBSOCKET_UNAVAILABLE", "a WebSocket provider needs the `ws` package: npm install ws@8", { cause: error });
    }
    const headers: Record<string, string> = token === undefined ? {} : { Authorization: `Bearer ${await token()}` };
    const socket = new WebSocket(this.url, { headers });
    socket.on("message", (data) => this.#receive(data));
    socket.on("close", (code, reason) => {
      const why = reason.length > 0 ? `: ${reason.toString()}` : "";
      this.#end(new PrivacySocketError("SOCKET_CLOSED", `the socket to ${this.url} closed (code ${code}${why})`));
    });
    await new Promise<void>((resolve, reject) => {
      socket.on("open", resolve);
      socket.on("error", (error) => {
        const failure = new PrivacySocketError("SOCKET_CLOSED", `the socket to ${this.url} failed: ${error.message}`, { cause: error });
        if (socket.readyState !== OPEN) reject(failure);
        this.#end(failure);
      });
    });
    return socket;
  }

  #receive(data: Buffer | ArrayBuffer | Buffer[]): void {
    const text = Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data as ArrayBuffer).toString("utf8");
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return; // not JSON-RPC: nothing to match it to
    }
    for (const item of Array.isArray(message) ? message : [message]) this.#route(item as Record<string, unknown>);
  }

  #route(message: Record<string, unknown>): void {
    if (typeof message?.method === "string" && message.method.endsWith("_subscription")) {
      const params = message.params as Record<string, unknown> | undefined;
      const id = typeof params?.subscription === "string" ? params.subscription.toLowerCase() : undefined;
      if (id !== undefined) this.#subscribers.get(id)?.onNotification(params!);
      return;
    }
    const pending = this.#pending.get(message?.id as number);
    if (pending !== undefined) {
      this.#pending.delete(message.id as number);
      pending.answer(message as unknown as JsonRpcResult);
    }
  }

  /** Fails every request still waiting and ends every subscription, once. */
  #end(error: PrivacySocketError): void {
    if (this.#closed !== null) return;
    this.#closed = error;
    for (const pending of this.#pending.values()) pending.fail(error);
    this.#pending.clear();
    for (const subscriber of this.#subscribers.values()) subscriber.onEnd(error);
    this.#subscribers.clear();
  }
}
