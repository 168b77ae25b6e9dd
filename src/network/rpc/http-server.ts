import http from "node:http";
import type { RpcContext } from "./endpoint";
import { Errors, RpcError, tooManyExpensiveInBatch } from "./errors";

/** Bodies above this are refused unparsed with HTTP 413 and -32600. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Besu's default --rpc-http-max-batch-size. */
export const MAX_BATCH_SIZE = 1024;
/**
 * The methods that may each run the EVM for up to the private execution budget (or mine and process a
 * block): a batch of many would hold the network for that many budgets.
 */
export const EXPENSIVE_METHODS: ReadonlySet<string> = new Set([
  "priv_call",
  "priv_traceTransaction",
  "priv_distributeRawTransaction",
  "eea_sendRawTransaction",
  "eth_call",
  "eth_estimateGas",
  "eth_createAccessList",
  "eth_sendRawTransaction",
  "eth_sendTransaction",
]);
export const DEFAULT_MAX_EXPENSIVE_PER_BATCH = 16;

export interface RpcServerOptions {
  /** Expensive items of a batch past this many are answered with an error and not run. */
  maxExpensivePerBatch: number;
}

type Id = string | number | null;
type Response = { jsonrpc: "2.0"; id: Id; result?: unknown; error?: ReturnType<RpcError["toJSON"]> };

export type Dispatch = (context: RpcContext) => Promise<unknown>;

/** A JSON-RPC 2.0 server over HTTP POST: single requests and batches; no input makes it throw. */
export function createRpcServer(dispatch: Dispatch, options: RpcServerOptions): http.Server {
  return http.createServer((request, response) => {
    void serve(dispatch, options, request, response).catch(() => {
      if (!response.headersSent) send(response, 500, errorResponse(null, Errors.internal()));
      else response.end();
    });
  });
}

async function serve(
  dispatch: Dispatch,
  options: RpcServerOptions,
  request: http.IncomingMessage,
  response: http.ServerResponse,
): Promise<void> {
  if (request.method !== "POST") {
    response.writeHead(405, { allow: "POST" }).end();
    return;
  }
  const body = await readBody(request);
  if (body === undefined) {
    response.setHeader("connection", "close");
    send(response, 413, errorResponse(null, Errors.invalidRequest()));
    return;
  }
  const reply = await answerText(dispatch, options, body.toString("utf8"), { headers: request.headers });
  send(response, reply.status, reply.body);
}

/** What a request's context carries besides the method and params: its headers, and a WebSocket's subscriptions. */
export type RequestBase = Omit<RpcContext, "method" | "params" | "send">;

/**
 * Answers a JSON-RPC text (one request or a batch) with the same rules over HTTP and WebSocket: the
 * batch size, the expensive methods per batch, and an HTTP status for the single answer.
 */
export async function answerText(dispatch: Dispatch, options: RpcServerOptions, text: string, base: RequestBase): Promise<{ status: number; body: unknown }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { status: 400, body: errorResponse(null, Errors.parse()) };
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return { status: 400, body: errorResponse(null, Errors.invalidRequest()) };
    if (parsed.length > MAX_BATCH_SIZE) return { status: 200, body: errorResponse(null, Errors.batchTooLarge()) };
    let expensive = 0;
    const answers = await Promise.all(
      parsed.map((item) => {
        if (!isExpensive(item) || ++expensive <= options.maxExpensivePerBatch) return answer(dispatch, item, base);
        return errorResponse(requestId(item), tooManyExpensiveInBatch(options.maxExpensivePerBatch));
      }),
    );
    return { status: 200, body: answers };
  }
  const single = await answer(dispatch, parsed, base);
  return { status: single.error === undefined ? 200 : statusOf(single.error.code), body: single };
}

/** Reads the body, or returns undefined once it passes MAX_BODY_BYTES (the rest is discarded). */
function readBody(request: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function isExpensive(item: unknown): boolean {
  return typeof item === "object" && item !== null && EXPENSIVE_METHODS.has((item as { method?: unknown }).method as string);
}

/** The id to answer with: a string or number id as sent, otherwise null. */
function requestId(item: object): Id {
  const { id } = item as { id?: unknown };
  return typeof id === "string" || typeof id === "number" ? id : null;
}

/** Answers one request object; every failure becomes a JSON-RPC error. */
async function answer(dispatch: Dispatch, item: unknown, base: RequestBase): Promise<Response> {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return errorResponse(null, Errors.invalidRequest());
  const { id: rawId, method, params } = item as Record<string, unknown>;
  const id = requestId(item);
  if (typeof method !== "string" || (rawId !== undefined && rawId !== null && id === null)) {
    return errorResponse(id, Errors.invalidRequest());
  }
  if (params !== undefined && params !== null && !Array.isArray(params)) return errorResponse(id, Errors.invalidParams());
  try {
    const result = await dispatch({ ...base, method, params: (params as unknown[] | undefined) ?? [] });
    return { jsonrpc: "2.0", id, result: result === undefined ? null : result };
  } catch (cause) {
    const error = cause instanceof RpcError ? cause : Errors.internal();
    // Over WebSocket Besu authorizes each message inside its executor, which keeps the id.
    return errorResponse(error.hidesRequestId && base.subscriptions === undefined ? null : id, error);
  }
}

export function errorResponse(id: Id, error: RpcError): Response {
  return { jsonrpc: "2.0", id, error: error.toJSON() };
}

function statusOf(code: number): number {
  if (code === -32600 || code === -32700) return 400;
  if (code === -40100) return 401;
  return 200;
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}
