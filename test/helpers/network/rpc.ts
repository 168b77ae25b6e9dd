/** A bare JSON-RPC client over HTTP (fetch), so tests see status codes and error objects exactly. */
export interface RpcReply {
  status: number;
  body: { jsonrpc?: string; id?: unknown; result?: unknown; error?: { code: number; message: string; data?: string } } & Record<string, unknown>;
}

let nextId = 1;

export async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const text = await response.text();
  return { status: response.status, json: text === "" ? undefined : JSON.parse(text) };
}

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<RpcReply> {
  const { status, json } = await post(url, JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }));
  return { status, body: json as RpcReply["body"] };
}

/** The result, or a thrown Error naming the JSON-RPC error. */
export async function call<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const reply = await rpc(url, method, params);
  if (reply.body.error !== undefined) throw new Error(`${method}: ${reply.body.error.code} ${reply.body.error.message}`);
  return reply.body.result as T;
}

/** The JSON-RPC error of a call that must fail. */
export async function rpcError(url: string, method: string, params: unknown[] = []): Promise<{ code: number; message: string; data?: string }> {
  const reply = await rpc(url, method, params);
  if (reply.body.error === undefined) throw new Error(`${method} succeeded with ${JSON.stringify(reply.body.result)}`);
  return reply.body.error;
}
