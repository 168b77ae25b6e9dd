/**
 * Benchmark of the development network (issue 8 item 9), on 127.0.0.1 only, bounded in count and time.
 * Prints each figure beside its goal. Not run in CI: figures depend on the machine.
 *   npm run bench:node                       every figure
 *   npm run bench:node -- --phase <name>     one memory phase, in a fresh process (used by the full run)
 */
import { spawn } from "node:child_process";
import os from "node:os";
import { Wallet } from "ethers";
import { defaultNetworkConfig } from "../src/network/defaults";
import { type PrivacyNetwork, startPrivacyNetwork } from "../src/network/index";
import { runConformance } from "./conformance-web3js-quorum";
import { KEY1, KEY2, PROXY, addData, lockData, newGroupId, unlockData } from "../test/network/helpers/group";
import { signPrivateTx } from "../test/network/helpers/private-tx";
import { post } from "../test/network/helpers/rpc";

const MEMORY_TXS = 10_000;
const MEMORY_GROUPS = 10_000;
/** A memory phase stops here even if it has not reached its count (a slow or busy machine). */
const MEMORY_PHASE_SECONDS = 480;
const ROUND_TRIPS = 300;
const THROUGHPUT_TXS = { 1: 300, 50: 1_000 } as const;
const CHAIN_ID = 1337;
const MB = 1024 * 1024;

let nextId = 1;
async function call<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const { json } = await post(url, JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }));
  const body = json as { result?: T; error?: { code: number; message: string } };
  if (body.error !== undefined) throw new Error(`${method}: ${body.error.code} ${body.error.message}`);
  return body.result as T;
}

/** A client that owns one group and keeps its own private nonce, so it can send without asking the node. */
class Sender {
  readonly signer = Wallet.createRandom();
  readonly groupId = newGroupId();
  private nonce = 0;
  private locked = false;

  constructor(private readonly url: string) {}

  /** Sends the next private transaction; returns the marker hash. The first one creates the group. */
  send(): Promise<string> {
    const data = this.nonce === 0 ? addData([KEY1, KEY2]) : this.nextLockToggle();
    const raw = signPrivateTx(
      { nonce: this.nonce++, to: PROXY, data, privateFrom: KEY1, privacyGroupId: this.groupId, chainId: CHAIN_ID },
      this.signer.privateKey,
    );
    return call<string>(this.url, "eea_sendRawTransaction", [raw]);
  }

  /** lock() and unlock() in turn: owner-only group transactions that always succeed and pass the gate. */
  private nextLockToggle(): string {
    this.locked = !this.locked;
    return this.locked ? lockData() : unlockData();
  }
}

async function receiptOf(url: string, pmtHash: string, pollMs = 0): Promise<{ status: string }> {
  for (;;) {
    const receipt = await call<{ status: string } | null>(url, "priv_getTransactionReceipt", [pmtHash]);
    if (receipt !== null) return receipt;
    await new Promise((resolve) => setTimeout(resolve, pollMs || 20));
  }
}

async function freeNetwork(blockTime = 0): Promise<PrivacyNetwork> {
  const config = defaultNetworkConfig();
  config.blockTime = blockTime;
  for (const node of config.nodes) node.rpcPort = 0;
  return startPrivacyNetwork(config);
}

async function withNetwork<T>(blockTime: number, run: (url: string) => Promise<T>): Promise<T> {
  const network = await freeNetwork(blockTime);
  try {
    return await run(network.nodes[0].url);
  } finally {
    await network.stop();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// --- figures -------------------------------------------------------------------------------------------

/** The default network, from the call to all three nodes answering over HTTP. */
async function startUp(): Promise<number> {
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
async function roundTrips(): Promise<{ p50: number; p99: number }> {
  return withNetwork(0, async (url) => {
    const sender = new Sender(url);
    await receiptOf(url, await sender.send());
    const times: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const started = performance.now();
      const receipt = await receiptOf(url, await sender.send());
      times.push(performance.now() - started);
      if (receipt.status !== "0x1") throw new Error(`round trip ${i}: private status ${receipt.status}`);
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
  });
}

/** Private transactions per second: each sender sends its share back to back; done when every receipt exists. */
async function throughput(senders: 1 | 50, blockTime: number): Promise<number> {
  return withNetwork(blockTime, async (url) => {
    const clients = Array.from({ length: senders }, () => new Sender(url));
    const created = await Promise.all(clients.map((client) => client.send()));
    await Promise.all(created.map((hash) => receiptOf(url, hash, 100)));
    const perSender = THROUGHPUT_TXS[senders] / senders;
    const started = performance.now();
    const hashes = await Promise.all(
      clients.map(async (client) => {
        const sent: string[] = [];
        for (let i = 0; i < perSender; i++) sent.push(await client.send());
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
  rss: number;
  /** How many transactions or groups were made before the time bound. */
  done: number;
}

/** Resident memory of a fresh process after `count` private transactions (10 groups) or groups (one each). */
async function memoryAfter(what: "txs" | "groups"): Promise<MemoryFigure> {
  return withNetwork(0, async (url) => {
    const concurrency = 10;
    const count = what === "txs" ? MEMORY_TXS : MEMORY_GROUPS;
    const deadline = performance.now() + MEMORY_PHASE_SECONDS * 1000;
    const clients = Array.from({ length: concurrency }, () => new Sender(url));
    let done = 0;
    await Promise.all(
      clients.map(async (client, index) => {
        for (let i = index; i < count && performance.now() < deadline; i += concurrency) {
          // A group per transaction, or one sender's group throughout.
          const sender = what === "groups" ? new Sender(url) : client;
          await sender.send();
          done++;
        }
      }),
    );
    global.gc?.();
    return { rss: process.memoryUsage().rss / MB, done };
  });
}

/** Runs one memory phase in a fresh Node process, so earlier phases do not inflate its figure. */
function memoryInFreshProcess(what: "txs" | "groups"): Promise<MemoryFigure> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", "-r", "ts-node/register/transpile-only", __filename, "--phase", `memory-${what}`],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => {
      const rss = Number(/rss=([\d.]+)/.exec(output)?.[1]);
      const done = Number(/done=(\d+)/.exec(output)?.[1]);
      if (code === 0 && Number.isFinite(rss) && Number.isFinite(done)) resolve({ rss, done });
      else reject(new Error(`memory phase ${what} exited ${code}: ${output}`));
    });
  });
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
  const phase = process.argv.indexOf("--phase");
  if (phase !== -1) {
    const what = process.argv[phase + 1] === "memory-groups" ? "groups" : "txs";
    const { rss, done } = await memoryAfter(what);
    console.log(`rss=${rss.toFixed(1)} done=${done}`);
    return;
  }
  console.log("Benchmarking the flexible-privacy development network (127.0.0.1, bounded counts)...");
  const start = await measured("start-up", startUp);
  const trip = await measured("round trips", roundTrips);
  const tps1 = await measured("1 sender, blockTime 0", () => throughput(1, 0));
  const tps50 = await measured("50 senders, blockTime 0", () => throughput(50, 0));
  const tps1Block = await measured("1 sender, blockTime 1", () => throughput(1, 1));
  const tps50Block = await measured("50 senders, blockTime 1", () => throughput(50, 1));
  const memTxs = await measured("memory after private txs", () => memoryInFreshProcess("txs"));
  const memGroups = await measured("memory after groups", () => memoryInFreshProcess("groups"));
  const suite = await measured("web3js-quorum suite", runConformance);
  if (suite.code !== 0) throw new Error(`the web3js-quorum suite failed (jest exited ${suite.code})`);

  const rows: Row[] = [
    ["figure", "value", "goal"],
    [
      "start-up, default network, to all 3 nodes answering",
      `${start.toFixed(2)} s`,
      `<= 1.5 s (${verdict(start <= 1.5)})`,
    ],
    [
      `private round trip p50 (send to receipt, ${ROUND_TRIPS} sequential)`,
      `${trip.p50.toFixed(1)} ms`,
      `<= 10 ms (${verdict(trip.p50 <= 10)})`,
    ],
    ["private round trip p99", `${trip.p99.toFixed(1)} ms`, "-"],
    [`private tx/s, 1 sender, blockTime 0 (${THROUGHPUT_TXS[1]} txs)`, tps1.toFixed(0), "-"],
    [
      `private tx/s, 50 senders, blockTime 0 (${THROUGHPUT_TXS[50]} txs)`,
      tps50.toFixed(0),
      `>= 300 (${verdict(tps50 >= 300)})`,
    ],
    [`private tx/s, 1 sender, blockTime 1 (${THROUGHPUT_TXS[1]} txs)`, tps1Block.toFixed(0), "-"],
    [`private tx/s, 50 senders, blockTime 1 (${THROUGHPUT_TXS[50]} txs)`, tps50Block.toFixed(0), "-"],
    [
      `resident memory after ${memTxs.done.toLocaleString("en")} private txs${bounded(memTxs, MEMORY_TXS)}`,
      `${memTxs.rss.toFixed(0)} MB`,
      `<= 400 MB after ${MEMORY_TXS.toLocaleString("en")} (${memTxs.done < MEMORY_TXS ? "not reached" : verdict(memTxs.rss <= 400)})`,
    ],
    [
      `resident memory after ${memGroups.done.toLocaleString("en")} groups${bounded(memGroups, MEMORY_GROUPS)}`,
      `${memGroups.rss.toFixed(0)} MB`,
      "-",
    ],
    [
      "web3js-quorum 22.4.0 flexible-group suite, start-up included",
      `${suite.seconds.toFixed(1)} s`,
      `<= 15 s (${verdict(suite.seconds <= 15)})`,
    ],
  ];
  console.log("\n" + table(rows));
  const load = os.loadavg().map((average) => average.toFixed(1));
  console.log(
    `\n${os.cpus().length} CPUs; load average at the end ${load.join(" / ")} (1 / 5 / 15 min): a busy machine slows every figure.`,
  );
  console.log(
    "\nMemory is the resident set of a fresh process holding the network and the benchmark's own client." +
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
