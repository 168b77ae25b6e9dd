import http from "node:http";
import type { RpcContext } from "./node-endpoint";
import { Errors, RpcError } from "./rpc-error";

/** Bodies above this are refused unparsed with HTTP 413 and -32600. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Besu's default --rpc-http-max-batch-size. */
export const MAX_BATCH_SIZE = 1024;

type Id = string | number | null;
type Response = { jsonrpc: "2.0"; id: Id; result?: unknown; error?: ReturnType<RpcError["toJSON"]> };

export type Dispatch = (context: RpcContext) => Promise<unknown>;

/** A JSON-RPC 2.0 server over HTTP POST: single requests and batches; no input makes it throw. */
export function createRpcServer(dispatch: Dispatch): http.Server {
  return http.createServer((request, response) => {
    void serve(dispatch, request, response).catch(() => {
      if (!response.headersSent) send(response, 500, errorResponse(null, Errors.internal()));
      else response.end();
    });
  });
}

async function serve(dispatch: Dispatch, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    send(response, 400, errorResponse(null, Errors.parse()));
    return;
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return send(response, 400, errorResponse(null, Errors.invalidRequest()));
    if (parsed.length > MAX_BATCH_SIZE) return send(response, 200, errorResponse(null, Errors.batchTooLarge()));
    const answers = await Promise.all(parsed.map((item) => answer(dispatch, item, request.headers)));
    return send(response, 200, answers);
  }
  const single = await answer(dispatch, parsed, request.headers);
  const status = single.error === undefined ? 200 : statusOf(single.error.code);
  send(response, status, single);
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

/** Answers one request object; every failure becomes a JSON-RPC error. */
async function answer(dispatch: Dispatch, item: unknown, headers: http.IncomingHttpHeaders): Promise<Response> {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return errorResponse(null, Errors.invalidRequest());
  const { id: rawId, method, params } = item as Record<string, unknown>;
  const id: Id = typeof rawId === "string" || typeof rawId === "number" ? rawId : null;
  if (typeof method !== "string" || (rawId !== undefined && rawId !== null && id === null)) {
    return errorResponse(id, Errors.invalidRequest());
  }
  if (params !== undefined && params !== null && !Array.isArray(params)) return errorResponse(id, Errors.invalidParams());
  try {
    const result = await dispatch({ method, params: (params as unknown[] | undefined) ?? [], headers });
    return { jsonrpc: "2.0", id, result: result === undefined ? null : result };
  } catch (cause) {
    return errorResponse(id, cause instanceof RpcError ? cause : Errors.internal());
  }
}

function errorResponse(id: Id, error: RpcError): Response {
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
