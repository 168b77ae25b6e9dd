import http from "node:http";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { Errors } from "./errors";
import { type Dispatch, MAX_BODY_BYTES, type RpcServerOptions, answerText, errorResponse } from "./http-server";
import type { SubscriptionHub } from "./subscriptions";

export interface WsServerOptions extends RpcServerOptions {
  hub: SubscriptionHub;
  /** Bytes a socket may hold unsent (answers and notifications); past it the socket is closed. */
  maxWsBufferedBytes: number;
}

/** Close code 1008 (policy violation): the client did not read its notifications fast enough. */
export const BACKLOG_CLOSE_CODE = 1008;

/**
 * JSON-RPC over WebSocket on an HTTP server's upgrade: the same answers as HTTP POST (single, batch,
 * limits), plus subscriptions. Besu reads the token of the upgrade's Authorization header and
 * authenticates each message with it; so does this server (the headers go with every request).
 * Returns what ends every socket (the HTTP server does not track upgraded sockets).
 */
export function attachWebSocket(server: http.Server, dispatch: Dispatch, options: WsServerOptions): () => void {
  // maxPayload: a bigger frame or message closes the socket with 1009 (Message Too Big), as the HTTP body limit refuses it.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  server.on("upgrade", (request: http.IncomingMessage, socket, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    wss.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, request, dispatch, options));
  });
  return () => {
    for (const ws of wss.clients) ws.terminate();
  };
}

/** A server for a node's separate wsPort: WebSocket only, as Besu's --rpc-ws-port answers plain HTTP with 400. */
export function createWsServer(dispatch: Dispatch, options: WsServerOptions): { server: http.Server; closeSockets: () => void } {
  const server = http.createServer((_request, response) => {
    response.writeHead(400, { "content-type": "text/plain" }).end("Websocket endpoint can't handle HTTP requests");
  });
  return { server, closeSockets: attachWebSocket(server, dispatch, options) };
}

function serveSocket(ws: WebSocket, request: http.IncomingMessage, dispatch: Dispatch, options: WsServerOptions): void {
  const send = (text: string): void => {
    if (ws.readyState !== 1) return;
    if (ws.bufferedAmount + Buffer.byteLength(text) > options.maxWsBufferedBytes) {
      // Stop queueing for a client that does not read: free its subscriptions now, not when the close completes.
      connection.close();
      ws.close(BACKLOG_CLOSE_CODE, `over ${options.maxWsBufferedBytes} bytes unread (maxWsBufferedBytes)`);
      return;
    }
    ws.send(text);
  };
  const connection = options.hub.connect(send);
  ws.on("close", () => connection.close());
  // Protocol errors (a bad frame, an oversize message) make ws close the socket with a status code; nothing throws.
  ws.on("error", () => undefined);
  ws.on("message", (data: RawData) => {
    // Binary frames are read as text, as Besu does.
    const text = Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data as Buffer).toString("utf8");
    answerText(dispatch, options, text, { headers: request.headers, subscriptions: connection })
      .then((reply) => send(JSON.stringify(reply.body)))
      .catch(() => send(JSON.stringify(errorResponse(null, Errors.internal()))));
  });
}
