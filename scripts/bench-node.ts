/**
 * Benchmark of the development network, on 127.0.0.1 only, bounded in count and time, side by side with
 * Hardhat's own node (`npx hardhat node`, Hardhat 2's EDR): the same counter contract is called publicly
 * there and privately on fpg-node, in the same run, so each ratio compares figures taken minutes apart on
 * the same machine. Prints each figure and ratio beside its goal. Not run in CI: figures depend on the
 * machine. Both nodes run in their own process, as users run them; the clients are this process.
 *   npm run bench:node                    builds the package, then measures every figure
 *   npm run bench:node -- --speed-only    start-up, round trips and throughput only (about a minute)
 *   FPG_BENCH_PROFILE=<dir> npm run bench:node -- --speed-only
 *                                         also writes a V8 CPU profile of each fpg-node run into <dir>
 *                                         (open it in Chrome's DevTools, or see where the time goes)
 * The workload is an application's: calls to a private counter contract. Round trips and the
 * 50-sender throughput also run lock()/unlock() toggles, which change the group's own state each time.
 */
import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { DEFAULT_NODES, defaultNetworkConfig } from "../src/network/defaults";
import { PACKAGE_ROOT } from "../src/hardhat/sources";
import { startPrivacyNetwork } from "../src/network/index";
import { runConformance } from "./conformance-web3js-quorum";
import { SigningKey, Wallet, getCreateAddress, parseUnits } from "ethers";
import { PrivateTransaction, getPrivateContractAddress } from "../src/core/codec";
import { GROUP_PROXY_ADDRESS as PROXY } from "../src/core/constants";
import { generatePrivacyGroupId } from "../src/core/ids";
import { tesseraKeyToBytes } from "../src/core/keys";
import { FlexiblePrivacyGroupManagement__factory } from "../src/typechain";

const [KEY1, KEY2] = DEFAULT_NODES.map((node) => node.enclaveKey);
const GROUP = FlexiblePrivacyGroupManagement__factory.createInterface();
const addData = (keys: string[]) => GROUP.encodeFunctionData("addParticipants", [keys.map(tesseraKeyToBytes)]);
const lockData = () => GROUP.encodeFunctionData("lock");
const unlockData = () => GROUP.encodeFunctionData("unlock");

const MEMORY_TXS = 10_000;
const MEMORY_GROUPS = 10_000;
/** A memory phase stops here even if it has not reached its count (a slow or busy machine). */
const MEMORY_PHASE_SECONDS = 720;
const ROUND_TRIPS = 300;
const THROUGHPUT_TXS = { 1: 300, 50: 1_000 } as const;
const CHAIN_ID = 1337;
/** `npx hardhat node`'s chain ID (Hardhat's default). */
const HARDHAT_CHAIN_ID = 31337;

/**
 * The client: node:http with keep-alive connections, as ethers' and web3's Node providers talk. (Node's
 * fetch costs about 1 ms more per request, which is the client's time, not the network's.)
 */
const agent = new http.Agent({ keepAlive: true });
let nextId = 1;
function call<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const body = JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params });
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", agent, headers: { "content-type": "application/json" } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const reply = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { result?: T; error?: { code: number; message: string } };
        if (reply.error !== undefined) reject(new Error(`${method}: ${reply.error.code} ${reply.error.message}`));
        else resolve(reply.result as T);
      });
    });
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * What a sender sends after creating its group. "contract": an application's transaction, a call to a
 * private counter (one SLOAD, SSTORE and LOG1) deployed as its second transaction. "management": lock()
 * and unlock() in turn, owner-only calls to the group's proxy that change the group's own state, so
 * the answers the gate and the send depend on change with every transaction.
 */
type Workload = "contract" | "management";

/** Runtime: SSTORE(0, SLOAD(0) + 1), then LOG1 with the new value as topic. Init code: copy and return it. */
const COUNTER_RUNTIME = "5f54600101805f555f5fa100";
const COUNTER_INIT = "0x600c600a5f39600c5ff3" + COUNTER_RUNTIME;

/** One client of one of the two nodes: it keeps its own nonce, so it signs without asking the node. */
interface ChainSender {
  /** Sends the set-up transactions (a group and the counter, or the counter), each to its successful receipt. */
  setUp(): Promise<void>;
  /** Signs the next transaction. */
  sign(): Promise<string>;
  /** Sends a signed transaction (by default the next one); returns its hash (the marker's, for a private one). */
  send(raw?: string): Promise<string>;
}

/** The JSON-RPC method that gives a transaction's receipt on each side. */
type ReceiptMethod = "priv_getTransactionReceipt" | "eth_getTransactionReceipt";

/** A client that owns one group and keeps its own private nonce, so it can send without asking the node. */
class PrivateSender implements ChainSender {
  readonly signer = Wallet.createRandom();
  readonly groupId = generatePrivacyGroupId();
  private nonce = 0;
  private locked = false;

  constructor(
    private readonly url: string,
    private readonly workload: Workload = "contract",
  ) {}

  /** How many transactions set the group up before the workload's own (creation, and the counter's deployment). */
  get setupCount(): number {
    return this.workload === "contract" ? 2 : 1;
  }

  /** Signs the next private transaction: the first one creates the group. */
  async sign(): Promise<string> {
    const nonce = this.nonce++;
    let to: string | null = PROXY;
    let data: string;
    if (nonce === 0) data = addData([KEY1, KEY2]);
    else if (this.workload === "management") data = this.nextLockToggle();
    else if (nonce === 1) [to, data] = [null, COUNTER_INIT];
    else [to, data] = [getPrivateContractAddress(this.signer.address, 1n, this.groupId), "0x"];
    const tx = PrivateTransaction.from({ nonce, to, data, gasLimit: 3_000_000, privateFrom: KEY1, privacyGroupId: this.groupId, chainId: CHAIN_ID });
    tx.signature = new SigningKey(this.signer.privateKey).sign(tx.unsignedHash);
    return tx.serialized;
  }

  /** Sends a signed transaction (by default the next one); returns the marker hash. */
  async send(raw?: string): Promise<string> {
    return call<string>(this.url, "eea_sendRawTransaction", [raw ?? (await this.sign())]);
  }

  async setUp(): Promise<void> {
    for (let i = 0; i < this.setupCount; i++) await succeeded(this.url, "priv_getTransactionReceipt", await this.send());
  }

  /** lock() and unlock() in turn: owner-only group transactions that always succeed and pass the gate. */
  private nextLockToggle(): string {
    this.locked = !this.locked;
    return this.locked ? lockData() : unlockData();
  }
}

/**
 * The public side: a funded account that deploys the same counter and then calls it (or, for the memory
 * phase against new groups, deploys a new counter with every transaction).
 */
class PublicSender implements ChainSender {
  readonly signer = Wallet.createRandom();
  private nonce = 0;

  constructor(
    private readonly url: string,
    private readonly deploysOnly = false,
  ) {}

  sign(): Promise<string> {
    const nonce = this.nonce++;
    const deploy = nonce === 0 || this.deploysOnly;
    const counter = getCreateAddress({ from: this.signer.address, nonce: 0 });
    return this.signer.signTransaction({
      type: 2,
      chainId: HARDHAT_CHAIN_ID,
      nonce,
      to: deploy ? null : counter,
      data: deploy ? COUNTER_INIT : "0x",
      gasLimit: 200_000,
      maxFeePerGas: parseUnits("100", "gwei"),
      maxPriorityFeePerGas: parseUnits("1", "gwei"),
    });
  }

  async send(raw?: string): Promise<string> {
    return call<string>(this.url, "eth_sendRawTransaction", [raw ?? (await this.sign())]);
  }

  /** Funds the account (Hardhat's own method), then deploys the counter. */
  async setUp(): Promise<void> {
    await call(this.url, "hardhat_setBalance", [this.signer.address, "0xd3c21bcecceda1000000"]); // 1,000,000 ETH
    if (!this.deploysOnly) await succeeded(this.url, "eth_getTransactionReceipt", await this.send());
  }
}

async function receiptOf(url: string, method: ReceiptMethod, hash: string, pollMs = 0): Promise<{ status: string }> {
  for (;;) {
    const receipt = await call<{ status: string } | null>(url, method, [hash]);
    if (receipt !== null) return receipt;
    await new Promise((resolve) => setTimeout(resolve, pollMs || 20));
  }
}

async function succeeded(url: string, method: ReceiptMethod, hash: string): Promise<void> {
  const receipt = await receiptOf(url, method, hash, 10);
  if (receipt.status !== "0x1") throw new Error(`set-up transaction ${hash}: status ${receipt.status}`);
}

/** The built `fpg-node`, started in its own process as users run it, on free ports. */
/** A node under measurement, started in its own process, on free ports. */
interface NodeProcess {
  /** The URL the bench's clients all talk to (fpg-node's node1). */
  url: string;
  pid: number;
  /** Seconds from the spawn to every node answering eth_blockNumber. */
  startSeconds: number;
  stop(): Promise<void>;
}

/** Resolves with the first match of `pattern` in the child's stdout; rejects if the child exits first. */
function awaitOutput(child: ChildProcessByStdio<null, Readable, null>, name: string, pattern: (output: string) => string[] | undefined) {
  return new Promise<string[]>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = pattern(output);
      if (found === undefined) return;
      child.stdout.off("data", onData);
      child.stdout.resume(); // a line per transaction follows: read and drop it
      resolve(found);
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${name} exited ${code} before it listened: ${output}`)));
  });
}

async function startProcess(
  name: string,
  args: string[],
  folder: string,
  listening: (output: string) => string[] | undefined,
  env: NodeJS.ProcessEnv = process.env,
) {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
  const stop = async () => {
    await stopChild(child, name);
    fs.rmSync(folder, { recursive: true, force: true });
  };
  try {
    const urls = await awaitOutput(child, name, listening);
    await Promise.all(urls.map((url) => call(url, "eth_blockNumber", [])));
    return { url: urls[0], pid: child.pid!, startSeconds: (performance.now() - started) / 1000, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The built `fpg-node`, as users run it, with three nodes on free ports. */
function startFpgNode(blockTime = 0): Promise<NodeProcess> {
  const cli = path.join(PACKAGE_ROOT, "dist", "src", "network", "cli.js");
  if (!fs.existsSync(cli)) throw new Error("bench:node measures the built fpg-node: run `npm run build` first");
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "fpg-bench-"));
  const config = path.join(folder, "network.json");
  const nodes = DEFAULT_NODES.map((node) => ({ name: node.name, rpcPort: 0, enclaveKeys: [node.enclaveKey] }));
  fs.writeFileSync(config, JSON.stringify({ blockTime, nodes }));
  const profile = process.env.FPG_BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.FPG_BENCH_PROFILE}`] : [];
  return startProcess("fpg-node", [...profile, cli, "--config", config], folder, (output) => {
    const found = nodes.map((node) => new RegExp(`^${node.name}\\s+(http://\\S+)`, "m").exec(output)?.[1]);
    return found.every((url) => url !== undefined) ? (found as string[]) : undefined;
  });
}

/** A port nothing listens on now (Hardhat's node prints the port it was given, so it cannot take 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

/**
 * `npx hardhat node` of this repository's Hardhat 2 (EDR, automining), at Prague as fpg-node's public chain
 * (the counter's PUSH0 needs Shanghai or later; the config reads the hardfork from FPG_HARDFORK).
 */
async function startHardhatNode(): Promise<NodeProcess> {
  const cli = require.resolve("hardhat/internal/cli/cli.js");
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "fpg-bench-hardhat-"));
  const port = await freePort();
  return startProcess("hardhat node", [cli, "node", "--hostname", "127.0.0.1", "--port", String(port)], folder, (output) => {
    const url = /JSON-RPC server at (http:\/\/\S+?)\/?\s/.exec(output)?.[1];
    return url === undefined ? undefined : [url];
  }, { ...process.env, FPG_HARDFORK: "prague" });
}

/** One side of the comparison: the node it runs and the clients that load it. */
interface Side {
  label: string;
  start(): Promise<NodeProcess>;
  sender(url: string, workload: Workload | "deploys"): ChainSender;
  receipts: ReceiptMethod;
}

const PUBLIC: Side = {
  label: "public (Hardhat node)",
  start: startHardhatNode,
  sender: (url, workload) => new PublicSender(url, workload === "deploys"),
  receipts: "eth_getTransactionReceipt",
};

const privateSide = (blockTime = 0): Side => ({
  label: "private (fpg-node)",
  start: () => startFpgNode(blockTime),
  // A new group is the private counterpart of a public deployment: one new sender per transaction.
  sender: (url, workload) => new PrivateSender(url, workload === "deploys" ? "contract" : workload),
  receipts: "priv_getTransactionReceipt",
});
const PRIVATE = privateSide();

async function withNode<T>(side: Side, run: (node: NodeProcess) => Promise<T>): Promise<T> {
  const node = await side.start();
  try {
    return await run(node);
  } finally {
    await node.stop();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// --- figures -------------------------------------------------------------------------------------------

/** fpg-node from its spawn to all three nodes answering: Node's start, loading the modules, the network's start. Median of 3. */
async function startUpOfProcess(): Promise<number> {
  const seconds: number[] = [];
  for (let i = 0; i < 3; i++) seconds.push(await withNode(PRIVATE, async (node) => node.startSeconds));
  return seconds.sort((a, b) => a - b)[1];
}

/** startPrivacyNetwork() in this process (modules already loaded), from the call to all three nodes answering. */
async function startUpInProcess(): Promise<number> {
  const started = performance.now();
  const network = await startPrivacyNetwork(defaultNetworkConfig());
  try {
    await Promise.all(network.nodes.map((node) => call(node.url, "eth_blockNumber", [])));
    return (performance.now() - started) / 1000;
  } finally {
    await network.stop();
  }
}

interface RoundTrip {
  p50: number;
  p99: number;
}

/** A signed transaction sent to its non-null receipt, one at a time (automining, blockTime 0). */
async function roundTrips(side: Side, workload: Workload = "contract"): Promise<RoundTrip> {
  return withNode(side, async ({ url }) => {
    const sender = side.sender(url, workload);
    await sender.setUp();
    const times: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const raw = await sender.sign();
      const started = performance.now();
      const receipt = await receiptOf(url, side.receipts, await sender.send(raw));
      times.push(performance.now() - started);
      if (receipt.status !== "0x1") throw new Error(`${side.label} round trip ${i}: status ${receipt.status}`);
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
  });
}

/**
 * Transactions per second: each sender sends its share back to back; done when every receipt exists.
 * The transactions are signed before the clock starts: signing is the clients' work.
 */
async function throughput(side: Side, senders: 1 | 50, workload: Workload = "contract"): Promise<number> {
  return withNode(side, async ({ url }) => {
    const clients = Array.from({ length: senders }, () => side.sender(url, workload));
    await Promise.all(clients.map((client) => client.setUp()));
    const perSender = THROUGHPUT_TXS[senders] / senders;
    const signed: string[][] = [];
    for (const client of clients) {
      const raws: string[] = [];
      for (let i = 0; i < perSender; i++) raws.push(await client.sign());
      signed.push(raws);
    }
    const started = performance.now();
    const hashes = await Promise.all(
      clients.map(async (client, i) => {
        const sent: string[] = [];
        for (const raw of signed[i]) sent.push(await client.send(raw));
        return sent;
      }),
    );
    const receipts = await Promise.all(hashes.flat().map((hash) => receiptOf(url, side.receipts, hash, 100)));
    const seconds = (performance.now() - started) / 1000;
    const failed = receipts.filter((receipt) => receipt.status !== "0x1").length;
    if (failed > 0) throw new Error(`${side.label}: ${failed} of ${receipts.length} transactions did not succeed`);
    return receipts.length / seconds;
  });
}

interface MemoryFigure {
  /** Resident set of the node process after it idled, and its peak, in MB. */
  rss: number;
  peak: number;
  /** How many transactions, groups or deployments were made before the time bound. */
  done: number;
}

/**
 * Loads the node with `count` transactions from 10 senders ("txs": counter calls), or with new groups
 * (private) against new contract deployments (public), one transaction each, 10 at a time.
 */
async function load(side: Side, url: string, what: "txs" | "deploys"): Promise<number> {
  const concurrency = 10;
  const count = what === "txs" ? MEMORY_TXS : MEMORY_GROUPS;
  const deadline = performance.now() + MEMORY_PHASE_SECONDS * 1000;
  const clients = Array.from({ length: concurrency }, () => side.sender(url, what === "txs" ? "contract" : "deploys"));
  await Promise.all(clients.map((client) => client.setUp()));
  let done = 0;
  await Promise.all(
    clients.map(async (client, index) => {
      for (let i = index; i < count && performance.now() < deadline; i += concurrency) {
        // A private group needs its own sender (its creation is the sender's first transaction).
        const sender = what === "deploys" && side.receipts === "priv_getTransactionReceipt" ? side.sender(url, "deploys") : client;
        await sender.send();
        done++;
      }
    }),
  );
  return done;
}

/** VmRSS and VmHWM of a process, in MB (Linux). */
function residentMemory(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kilobytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
  return { rss: kilobytes("VmRSS") / 1024, peak: kilobytes("VmHWM") / 1024 };
}

/**
 * Memory of the node process, loaded over HTTP by this process, then read after 10 s of idling, when V8
 * has handed back the heap it grew while busy.
 */
async function memoryOfNode(side: Side, what: "txs" | "deploys"): Promise<MemoryFigure> {
  return withNode(side, async ({ url, pid }) => {
    const done = await load(side, url, what);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    return { ...residentMemory(pid), done };
  });
}

/** SIGTERM, as Ctrl-C would stop it; a node still running 10 s later is killed, and the bench says so. */
async function stopChild(child: ReturnType<typeof spawn>, name: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => {
    console.error(`  ${name} did not stop within 10 s of SIGTERM: killed`);
    child.kill("SIGKILL");
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

// --- report --------------------------------------------------------------------------------------------

type Row = [figure: string, value: string, goal: string];

function table(rows: Row[]): string {
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row.map((cell, column) => (column === 1 ? cell.padStart(widths[1]) : cell.padEnd(widths[column]))).join("  "),
    )
    .join("\n");
}

/** Runs one phase, telling stderr how long it took, so a long run shows progress. */
async function measured<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await run();
  console.error(`  ${name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return value;
}

/** Both sides of one figure, measured one after the other. */
async function sideBySide<T>(name: string, run: (side: Side) => Promise<T>): Promise<{ public: T; private: T }> {
  return {
    public: await measured(`${name}, ${PUBLIC.label}`, () => run(PUBLIC)),
    private: await measured(`${name}, ${PRIVATE.label}`, () => run(PRIVATE)),
  };
}

const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
const times = (ratio: number) => `${ratio.toFixed(2)}×`;

/** "public / private (ratio)" for a figure where lower is better (time, memory): the goal caps the ratio. */
function ratioRow(figure: string, pair: { public: number; private: number }, unit: string, goal: number | null, digits = 1): Row {
  const ratio = pair.private / pair.public;
  const value = `${pair.public.toFixed(digits)} / ${pair.private.toFixed(digits)} ${unit} (${times(ratio)})`;
  return [figure, value, goal === null ? "-" : `private <= ${times(goal)} public (${verdict(ratio <= goal)})`];
}

function memoryRow(figure: string, pair: { public: MemoryFigure; private: MemoryFigure }, count: number): Row {
  const bounded = [pair.public, pair.private].some((side) => side.done < count);
  const row = ratioRow(figure, { public: pair.public.rss, private: pair.private.rss }, "MB", MEMORY_RATIO, 0);
  const peaks = ` (peaks ${pair.public.peak.toFixed(0)} / ${pair.private.peak.toFixed(0)})`;
  const reached = bounded ? ` [${pair.public.done} / ${pair.private.done} done at the ${MEMORY_PHASE_SECONDS} s bound]` : "";
  return [row[0] + reached, row[1] + peaks, bounded ? `${row[2]}, count not reached` : row[2]];
}

/** The goals, as ratios of the private figure to the public one on the same machine in the same run. */
const ROUND_TRIP_RATIO = 1.25;
const THROUGHPUT_RATIO = 0.5;
const MEMORY_RATIO = 1.5;

async function main(): Promise<void> {
  const speedOnly = process.argv.includes("--speed-only");
  console.log("Benchmarking the flexible-privacy development network beside Hardhat's node (127.0.0.1, bounded counts)...");
  const start = await measured("start-up of fpg-node", startUpOfProcess);
  const startInProcess = await measured("start-up in process", startUpInProcess);
  const trip = await sideBySide("round trips", (side) => roundTrips(side));
  const tripManagement = await measured("round trips, lock/unlock", () => roundTrips(PRIVATE, "management"));
  const tps1 = await sideBySide("1 sender", (side) => throughput(side, 1));
  const tps50 = await sideBySide("50 senders", (side) => throughput(side, 50));
  const tps50Management = await measured("50 senders, lock/unlock", () => throughput(PRIVATE, 50, "management"));
  const tps50Block = await measured("50 senders, blockTime 1", () => throughput(privateSide(1), 50));

  const tps50Ratio = tps50.private / tps50.public;
  const rows: Row[] = [
    ["figure (counter calls; public = Hardhat node, private = fpg-node)", "public / private (ratio)", "goal"],
    [
      "start-up of fpg-node, from spawn to all 3 nodes answering (median of 3)",
      `${start.toFixed(2)} s`,
      `<= 1.5 s (${verdict(start <= 1.5)})`,
    ],
    ["start-up of startPrivacyNetwork() in a process that loaded it", `${startInProcess.toFixed(2)} s`, "-"],
    ratioRow(`round trip p50 (send to receipt, ${ROUND_TRIPS} in a row)`, { public: trip.public.p50, private: trip.private.p50 }, "ms", ROUND_TRIP_RATIO),
    ratioRow("round trip p99", { public: trip.public.p99, private: trip.private.p99 }, "ms", null),
    ["private round trip p50 / p99, lock/unlock", `${tripManagement.p50.toFixed(1)} / ${tripManagement.p99.toFixed(1)} ms`, "-"],
    [`tx/s, 1 sender (${THROUGHPUT_TXS[1]} txs)`, `${tps1.public.toFixed(0)} / ${tps1.private.toFixed(0)} (${times(tps1.private / tps1.public)})`, "-"],
    [
      `tx/s, 50 senders (${THROUGHPUT_TXS[50]} txs)`,
      `${tps50.public.toFixed(0)} / ${tps50.private.toFixed(0)} (${times(tps50Ratio)})`,
      `private >= ${times(THROUGHPUT_RATIO)} public (${verdict(tps50Ratio >= THROUGHPUT_RATIO)})`,
    ],
    ["private tx/s, 50 senders, lock/unlock", tps50Management.toFixed(0), "-"],
    ["private tx/s, 50 senders, blockTime 1", tps50Block.toFixed(0), "-"],
  ];
  if (!speedOnly) {
    const memTxs = await sideBySide("memory after transactions", (side) => memoryOfNode(side, "txs"));
    const memDeploys = await sideBySide("memory after deployments / groups", (side) => memoryOfNode(side, "deploys"));
    const suite = await measured("web3js-quorum suite", runConformance);
    if (suite.code !== 0) throw new Error(`the web3js-quorum suite failed (jest exited ${suite.code})`);
    rows.push(
      memoryRow(`resident memory after ${MEMORY_TXS.toLocaleString("en")} counter calls`, memTxs, MEMORY_TXS),
      memoryRow(
        `resident memory after ${MEMORY_GROUPS.toLocaleString("en")} public deployments / new groups`,
        memDeploys,
        MEMORY_GROUPS,
      ),
      [
        "web3js-quorum 22.4.0 flexible-group suite, start-up included",
        `${suite.seconds.toFixed(1)} s`,
        `<= 15 s (${verdict(suite.seconds <= 15)})`,
      ],
    );
  }
  console.log("\n" + table(rows));
  const load = os.loadavg().map((average) => average.toFixed(1));
  console.log(
    `\n${os.cpus().length} CPUs; load average at the end ${load.join(" / ")} (1 / 5 / 15 min): a busy machine slows every figure.`,
  );
  console.log(
    "\nMemory is the resident set of each node's process (fpg-node: three nodes) 10 s after the load, and its peak." +
      "\nA private transaction is a public marker transaction plus the private execution on each member node," +
      "\nso the private side does strictly more work than the public one for the same counter call." +
      "\nBesu 25.5 + Tessera mines each private receipt only at the next block period (seconds per receipt).",
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
