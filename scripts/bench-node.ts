/**
 * Benchmark of the development network, on 127.0.0.1 only, bounded in count and time.
 * Prints each figure beside its goal. Not run in CI: figures depend on the machine. Every phase runs
 * against the built fpg-node in its own process, as users run it; the clients are this process.
 *   npm run bench:node                    builds the package, then measures every figure
 *   npm run bench:node -- --speed-only    start-up, round trips and throughput only (about a minute)
 * The workload is an application's: calls to a private counter contract. Round trips and the
 * 50-sender throughput also run lock()/unlock() toggles, which change the group's own state each time.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { DEFAULT_NODES, defaultNetworkConfig } from "../src/network/defaults";
import { PACKAGE_ROOT } from "../src/hardhat/sources";
import { startPrivacyNetwork } from "../src/network/index";
import { runConformance } from "./conformance-web3js-quorum";
import { SigningKey, Wallet } from "ethers";
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

/** A client that owns one group and keeps its own private nonce, so it can send without asking the node. */
class Sender {
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
  sign(): string {
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
  send(raw = this.sign()): Promise<string> {
    return call<string>(this.url, "eea_sendRawTransaction", [raw]);
  }

  /** Sends the set-up transactions, one after the other, each to its successful receipt. */
  async setUp(): Promise<void> {
    for (let i = 0; i < this.setupCount; i++) {
      const receipt = await receiptOf(this.url, await this.send(), 10);
      if (receipt.status !== "0x1") throw new Error(`set-up transaction ${i}: private status ${receipt.status}`);
    }
  }

  /** lock() and unlock() in turn: owner-only group transactions that always succeed and pass the gate. */
  private nextLockToggle(): string {
    this.locked = !this.locked;
    return this.locked ? lockData() : unlockData();
  }
}

async function receiptOf(url: string, markerHash: string, pollMs = 0): Promise<{ status: string }> {
  for (;;) {
    const receipt = await call<{ status: string } | null>(url, "priv_getTransactionReceipt", [markerHash]);
    if (receipt !== null) return receipt;
    await new Promise((resolve) => setTimeout(resolve, pollMs || 20));
  }
}

/** The built `fpg-node`, started in its own process as users run it, on free ports. */
interface NodeProcess {
  /** node1's URL (the bench's clients all talk to it). */
  url: string;
  pid: number;
  /** Seconds from the spawn to all three nodes answering eth_blockNumber. */
  startSeconds: number;
  stop(): Promise<void>;
}

async function startNodeProcess(blockTime = 0): Promise<NodeProcess> {
  const cli = path.join(PACKAGE_ROOT, "dist", "src", "network", "cli.js");
  if (!fs.existsSync(cli)) throw new Error("bench:node measures the built fpg-node: run `npm run build` first");
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "fpg-bench-"));
  const config = path.join(folder, "network.json");
  const nodes = DEFAULT_NODES.map((node) => ({ name: node.name, rpcPort: 0, enclaveKeys: [node.enclaveKey] }));
  fs.writeFileSync(config, JSON.stringify({ blockTime, nodes }));
  const started = performance.now();
  const child = spawn(process.execPath, [cli, "--config", config], { stdio: ["ignore", "pipe", "inherit"] });
  const stop = async () => {
    await stopChild(child);
    fs.rmSync(folder, { recursive: true, force: true });
  };
  try {
    const urls = await new Promise<string[]>((resolve, reject) => {
      let output = "";
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const found = nodes.map((node) => new RegExp(`^${node.name}\\s+(http://\\S+)`, "m").exec(output)?.[1]);
        if (found.every((url) => url !== undefined)) {
          child.stdout.off("data", onData);
          child.stdout.resume(); // one line per private transaction follows: read and drop it
          resolve(found as string[]);
        }
      };
      child.stdout.on("data", onData);
      child.once("exit", (code) => reject(new Error(`fpg-node exited ${code} before it listened: ${output}`)));
    });
    await Promise.all(urls.map((url) => call(url, "eth_blockNumber", [])));
    return { url: urls[0], pid: child.pid!, startSeconds: (performance.now() - started) / 1000, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function withNodeProcess<T>(blockTime: number, run: (node: NodeProcess) => Promise<T>): Promise<T> {
  const node = await startNodeProcess(blockTime);
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
  for (let i = 0; i < 3; i++) seconds.push(await withNodeProcess(0, async (node) => node.startSeconds));
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

/** eea_sendRawTransaction to a non-null private receipt, one at a time (blockTime 0). */
async function roundTrips(workload: Workload): Promise<{ p50: number; p99: number }> {
  return withNodeProcess(0, async ({ url }) => {
    const sender = new Sender(url, workload);
    await sender.setUp();
    const times: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const raw = sender.sign();
      const started = performance.now();
      const receipt = await receiptOf(url, await sender.send(raw));
      times.push(performance.now() - started);
      if (receipt.status !== "0x1") throw new Error(`round trip ${i}: private status ${receipt.status}`);
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
  });
}

/**
 * Private transactions per second: each sender sends its share back to back; done when every receipt
 * exists. The transactions are signed before the clock starts: signing is the clients' work.
 */
async function throughput(senders: 1 | 50, blockTime: number, workload: Workload = "contract"): Promise<number> {
  return withNodeProcess(blockTime, async ({ url }) => {
    const clients = Array.from({ length: senders }, () => new Sender(url, workload));
    await Promise.all(clients.map((client) => client.setUp()));
    const perSender = THROUGHPUT_TXS[senders] / senders;
    const signed = clients.map((client) => Array.from({ length: perSender }, () => client.sign()));
    const started = performance.now();
    const hashes = await Promise.all(
      clients.map(async (client, i) => {
        const sent: string[] = [];
        for (const raw of signed[i]) sent.push(await client.send(raw));
        return sent;
      }),
    );
    const receipts = await Promise.all(hashes.flat().map((hash) => receiptOf(url, hash, 100)));
    const seconds = (performance.now() - started) / 1000;
    const failed = receipts.filter((receipt) => receipt.status !== "0x1").length;
    if (failed > 0) throw new Error(`${failed} of ${receipts.length} private transactions did not succeed`);
    return receipts.length / seconds;
  });
}

interface MemoryFigure {
  /** Resident set of the node process after it idled, and its peak, in MB. */
  rss: number;
  peak: number;
  /** How many transactions or groups were made before the time bound. */
  done: number;
}

/** Loads node1 with `count` private transactions (10 groups) or groups (one transaction each), 10 at a time. */
async function load(url: string, what: "txs" | "groups"): Promise<number> {
  const concurrency = 10;
  const count = what === "txs" ? MEMORY_TXS : MEMORY_GROUPS;
  const deadline = performance.now() + MEMORY_PHASE_SECONDS * 1000;
  const clients = Array.from({ length: concurrency }, () => new Sender(url));
  let done = 0;
  await Promise.all(
    clients.map(async (client, index) => {
      for (let i = index; i < count && performance.now() < deadline; i += concurrency) {
        const sender = what === "groups" ? new Sender(url) : client;
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
async function memoryOfNode(what: "txs" | "groups"): Promise<MemoryFigure> {
  return withNodeProcess(0, async ({ url, pid }) => {
    const done = await load(url, what);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    return { ...residentMemory(pid), done };
  });
}

/** SIGTERM, as Ctrl-C would stop it; a node still running 10 s later is killed, and the bench says so. */
async function stopChild(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => {
    console.error("  fpg-node did not stop within 10 s of SIGTERM: killed");
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

const bounded = (figure: MemoryFigure, count: number) =>
  figure.done < count ? ` (stopped at the ${MEMORY_PHASE_SECONDS} s bound)` : "";

const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

async function main(): Promise<void> {
  const speedOnly = process.argv.includes("--speed-only");
  console.log("Benchmarking the flexible-privacy development network (127.0.0.1, bounded counts)...");
  const start = await measured("start-up of fpg-node", startUpOfProcess);
  const startInProcess = await measured("start-up in process", startUpInProcess);
  const trip = await measured("round trips, contract calls", () => roundTrips("contract"));
  const tripManagement = await measured("round trips, lock/unlock", () => roundTrips("management"));
  const tps1 = await measured("1 sender, blockTime 0", () => throughput(1, 0));
  const tps50 = await measured("50 senders, blockTime 0", () => throughput(50, 0));
  const tps50Management = await measured("50 senders, blockTime 0, lock/unlock", () => throughput(50, 0, "management"));
  const tps1Block = await measured("1 sender, blockTime 1", () => throughput(1, 1));
  const tps50Block = await measured("50 senders, blockTime 1", () => throughput(50, 1));

  const rows: Row[] = [
    ["figure (contract calls unless marked lock/unlock)", "value", "goal"],
    [
      "start-up of fpg-node, from spawn to all 3 nodes answering (median of 3)",
      `${start.toFixed(2)} s`,
      `<= 1.5 s (${verdict(start <= 1.5)})`,
    ],
    ["start-up of startPrivacyNetwork() in a process that loaded it", `${startInProcess.toFixed(2)} s`, "-"],
    [
      `private round trip p50 (send to receipt, ${ROUND_TRIPS} sequential)`,
      `${trip.p50.toFixed(1)} ms`,
      `<= 10 ms (${verdict(trip.p50 <= 10)})`,
    ],
    ["private round trip p99", `${trip.p99.toFixed(1)} ms`, "-"],
    ["private round trip p50 / p99, lock/unlock", `${tripManagement.p50.toFixed(1)} / ${tripManagement.p99.toFixed(1)} ms`, "-"],
    [`private tx/s, 1 sender, blockTime 0 (${THROUGHPUT_TXS[1]} txs)`, tps1.toFixed(0), "-"],
    [
      `private tx/s, 50 senders, blockTime 0 (${THROUGHPUT_TXS[50]} txs)`,
      tps50.toFixed(0),
      `>= 300 (${verdict(tps50 >= 300)})`,
    ],
    [`private tx/s, 50 senders, blockTime 0, lock/unlock`, tps50Management.toFixed(0), "-"],
    [`private tx/s, 1 sender, blockTime 1 (${THROUGHPUT_TXS[1]} txs)`, tps1Block.toFixed(0), "-"],
    [
      `private tx/s, 50 senders, blockTime 1 (${THROUGHPUT_TXS[50]} txs)`,
      tps50Block.toFixed(0),
      `>= 300 (${verdict(tps50Block >= 300)})`,
    ],
  ];
  if (!speedOnly) {
    const memTxs = await measured("memory after private txs", () => memoryOfNode("txs"));
    const memGroups = await measured("memory after groups", () => memoryOfNode("groups"));
    const suite = await measured("web3js-quorum suite", runConformance);
    if (suite.code !== 0) throw new Error(`the web3js-quorum suite failed (jest exited ${suite.code})`);
    rows.push(
      [
        `resident memory after ${memTxs.done.toLocaleString("en")} private txs${bounded(memTxs, MEMORY_TXS)}`,
        `${memTxs.rss.toFixed(0)} MB (peak ${memTxs.peak.toFixed(0)})`,
        `<= 400 MB after ${MEMORY_TXS.toLocaleString("en")} (${memTxs.done < MEMORY_TXS ? "not reached" : verdict(memTxs.rss <= 400)})`,
      ],
      [
        `resident memory after ${memGroups.done.toLocaleString("en")} groups${bounded(memGroups, MEMORY_GROUPS)}`,
        `${memGroups.rss.toFixed(0)} MB (peak ${memGroups.peak.toFixed(0)})`,
        "-",
      ],
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
    "\nMemory is the resident set of the built fpg-node (three nodes) in its own process, 10 s after the load, and its peak." +
      "\nFor comparison, Besu 25.5 + Tessera mines each private receipt only at the next block period (seconds" +
      "\nper receipt, not milliseconds), and its quickstart needs about 6 GB of RAM and several containers to start" +
      "\n(up to 20 GB for a six-node privacy network).",
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
