import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { PACKAGE_ROOT } from "../../src/hardhat/sources";

const HARDHAT = path.join(PACKAGE_ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program to its end and collects its output. Asynchronous on purpose: a blocked event loop
 * would miss a node closing an idle kept-alive socket, and the next request on it would fail.
 */
function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: PACKAGE_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs a shell command line exactly as a user would type it, from the repository root. */
export function sh(command: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return run("sh", ["-c", command], env);
}

/** `npx hardhat <args>` without npx's start-up. */
export function hardhat(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return run(process.execPath, [HARDHAT, ...args], env);
}

/** A TCP port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `npx hardhat node` on 127.0.0.1:<port>, resolved once it serves JSON-RPC. */
export async function startHardhatNode(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [HARDHAT, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: PACKAGE_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hardhat node did not start:\n${output}`)), 120_000);
    const listen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Started HTTP")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", listen);
    child.stderr?.on("data", listen);
    child.on("exit", (code) => reject(new Error(`hardhat node exited with ${code}:\n${output}`)));
  });
  return child;
}

/** One JSON-RPC call on its own connection (no kept-alive socket that the node may have closed). */
export function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", agent: false, headers: { "content-type": "application/json" } }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => {
        const reply = JSON.parse(text) as { result?: unknown; error?: { message: string } };
        if (reply.error !== undefined) reject(new Error(`${method}: ${reply.error.message}`));
        else resolve(reply.result);
      });
    });
    request.on("error", reject);
    request.end(body);
  });
}
