import type { Client } from "viem";

/** The JSON-RPC of any viem client, for Besu's methods that viem does not type (priv_, privx_, eea_). */
type Rpc = { request(args: { method: string; params?: unknown[] }): Promise<unknown> };

export const rpc = (client: Client): Rpc => client as unknown as Rpc;
