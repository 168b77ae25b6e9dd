import { WebSocket } from "ws";

type Message = { id?: unknown; method?: string; params?: { subscription: string; result: unknown } & Record<string, unknown> } & Record<string, unknown>;

/** A bare JSON-RPC client over a real WebSocket: every message it receives is kept, in order. */
export class WsClient {
  readonly messages: Message[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private nextId = 1;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      this.messages.push(JSON.parse(data.toString()) as Message);
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      socket.once("close", (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      }),
    );
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
    const socket = new WebSocket(url, { headers });
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(new WsClient(socket)));
      socket.once("error", reject);
    });
  }

  /** Sends one request and returns its answer (a JSON-RPC response object). */
  async request(method: string, params: unknown[] = []): Promise<Message> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    return this.next((message) => message.id === id);
  }

  async result<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const reply = await this.request(method, params);
    if (reply.error !== undefined) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
    return reply.result as T;
  }

  /** The first message (already received or coming) that matches; it stays in `messages`. */
  async next(matches: (message: Message) => boolean, timeoutMs = 30_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(matches);
      if (found !== undefined) return found;
      if (this.socket.readyState > WebSocket.OPEN) throw new Error("the socket closed before the message came");
      if (Date.now() > deadline) throw new Error("no matching message came");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  notifications(subscription: string): Message[] {
    return this.messages.filter((message) => message.params?.subscription === subscription);
  }

  /** Stops reading from the TCP socket (a slow client), or reads again. */
  pause(): void {
    (this.socket as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  resume(): void {
    (this.socket as unknown as { _socket: { resume(): void } })._socket.resume();
  }

  close(): void {
    this.socket.terminate();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
