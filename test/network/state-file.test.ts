import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { run } from "../../src/network/cli";
import { type PrivacyNetwork, STATE_FORMAT, STATE_VERSION, startPrivacyNetwork } from "../../src/network";
import { defaultNetworkConfig } from "../../src/network/defaults";
import { type SavedState, StateFileError, writeStateFile } from "../../src/network/state/state-file";
import { PACKAGE_ROOT } from "../../src/hardhat/sources";
import { freePort } from "../helpers/cli";
import { counter, counterCreationCode } from "../helpers/network/contracts";
import { KEY1, KEY2, KEY3, SIGNER1, createGroup, receipt, sendPrivate } from "../helpers/network/group";
import { call } from "../helpers/network/rpc";
import { type ViewedGroup, readEverything } from "../helpers/network/state-view";

const CLI = path.join(PACKAGE_ROOT, "src", "network", "cli.ts");

/** `fpg-node ARGS` as its own process, resolved with the nodes' URLs once it prints its banner. */
async function startCli(args: string[]): Promise<{ child: ChildProcess; urls: string[]; output: () => string }> {
  const child = spawn(process.execPath, ["-r", "ts-node/register", CLI, ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fpg-node did not start:\n${output}`)), 120_000);
    child.stdout!.on("data", () => {
      if (output.includes("Private Key:")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", () => {
      clearTimeout(timer);
      reject(new Error(`fpg-node exited:\n${output}`));
    });
  });
  const urls = [...output.matchAll(/^node\d\s+(http:\S+)/gm)].map((match) => match[1]);
  return { child, urls, output: () => output };
}

function stopCli(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.on("exit", (code) => resolve(code));
    child.kill(signal);
  });
}

async function configFile(dir: string): Promise<string> {
  const nodes = [];
  for (const node of defaultNetworkConfig().nodes) nodes.push({ name: node.name, rpcPort: await freePort(), enclaveKeys: node.enclaveKeys });
  const file = path.join(dir, "network.json");
  fs.writeFileSync(file, JSON.stringify({ nodes }));
  return file;
}

describe("network: the saved state (fpg-node --state, --load-state, --dump-state)", function () {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "fpg-state-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("fpg-node --state FILE saves on SIGINT; the next start reads every group, contract, receipt, log and nonce back, and continues", async function () {
    const config = await configFile(dir);
    const state = path.join(dir, "state.json");
    const first = await startCli(["--config", config, "--state", state]);
    const [url1, url2] = first.urls;
    const { groupId, markerHash } = await createGroup(url1, SIGNER1, KEY1, [KEY1, KEY2]);
    const other = await createGroup(url2, SIGNER1, KEY2, [KEY2, KEY3]);
    const deploy = await sendPrivate({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId, to: null, data: counterCreationCode() });
    const contract = (await receipt(url1, deploy))!.contractAddress as string;
    const set = await sendPrivate({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId, to: contract, data: counter.encodeFunctionData("set", [5]) });
    const groups: ViewedGroup[] = [{ groupId, contract }, { groupId: other.groupId }];
    const markers = [markerHash, other.markerHash, deploy, set];
    const before = await readEverything(first.urls, groups, markers);
    expect(await stopCli(first.child, "SIGINT")).to.equal(0);
    const saved = JSON.parse(fs.readFileSync(state, "utf8")) as SavedState;
    expect(saved).to.include({ format: STATE_FORMAT, version: STATE_VERSION });
    expect(fs.readdirSync(dir).sort()).to.deep.equal(["network.json", "state.json"]); // no temporary file left

    const second = await startCli(["--config", config, "--state", state]);
    expect(second.output()).to.not.include("private tx"); // the replay is not printed again
    expect(await readEverything(second.urls, groups, markers)).to.deep.equal(before);
    const next = await sendPrivate({ url: second.urls[1], signer: SIGNER1, privateFrom: KEY2, groupId, to: contract, data: counter.encodeFunctionData("set", [6]) });
    expect((await receipt(second.urls[0], next))!.status).to.equal("0x1");
    expect(BigInt(await call<string>(second.urls[0], "priv_call", [groupId, { to: contract, data: counter.encodeFunctionData("value") }, "latest"]))).to.equal(6n);
    expect(await stopCli(second.child, "SIGTERM")).to.equal(0);
    expect((JSON.parse(fs.readFileSync(state, "utf8")) as SavedState).blocks.length).to.equal(saved.blocks.length + 1);
  });

  describe("a file that cannot be loaded stops start-up with one line naming it and the problem (exit code 2)", function () {
    let good: string;
    before(async function () {
      const file = path.join(os.tmpdir(), `fpg-state-good-${process.pid}.json`);
      const network = await startPrivacyNetwork(freePortsConfig(), { dumpState: file });
      await createGroup(network.nodes[0].url, SIGNER1, KEY1, [KEY1, KEY2]);
      await network.stop();
      good = fs.readFileSync(file, "utf8");
      fs.rmSync(file);
    });

    const refusal = async (text: string | undefined, flag = "--state") => {
      const file = path.join(dir, "state.json");
      if (text !== undefined) fs.writeFileSync(file, text);
      const lines: string[] = [];
      const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
      const config = await configFile(dir);
      expect(await run(["--config", config, flag, file], io)).to.equal(2);
      expect(lines).to.have.length(1);
      expect(lines[0]).to.include(file);
      if (text !== undefined) expect(fs.readFileSync(file, "utf8")).to.equal(text); // left as it was
      return lines[0];
    };
    const edited = (change: (state: Record<string, unknown>) => void): string => {
      const state = JSON.parse(good) as Record<string, unknown>;
      change(state);
      return JSON.stringify(state);
    };

    it("refuses a truncated file", async function () {
      expect(await refusal(good.slice(0, good.length / 2))).to.include("not JSON (truncated?)");
    });
    it("refuses another format or version, and another chain id", async function () {
      expect(await refusal(JSON.stringify({ accounts: {} }))).to.include(`not a ${STATE_FORMAT} file`);
      expect(await refusal(edited((state) => (state.version = 2)))).to.include("version 2, but this fpg-node reads version 1 only");
      expect(await refusal(edited((state) => (state.chainId = 5)))).to.include("saved with chainId 5, but the network's chainId is 1337");
    });
    it("refuses hand-edited nonsense, naming the field", async function () {
      expect(await refusal(edited((state) => ((state.blocks as SavedState["blocks"])[0].transactions = ["0xzz"])))).to.include("blocks[0].transactions: not a list");
      expect(await refusal(edited((state) => ((state.payloads as unknown[])[0] = { key: "x" })))).to.include("payloads[0]: not a payload");
      expect(await refusal(edited((state) => ((state.blocks as SavedState["blocks"])[0].timestamp = 1)))).to.include("blocks[0].timestamp");
    });
    it("refuses a well-formed file whose chain does not replay", async function () {
      const bad = edited((state) => ((state.blocks as SavedState["blocks"])[0].transactions = ["0x1234"]));
      expect(await refusal(bad)).to.include("block 1 does not replay");
      const moved = edited((state) => (state.headHash = "0x" + "11".repeat(32)));
      expect(await refusal(moved)).to.include("not the saved 0x1111");
    });
    it("--load-state refuses a missing file; --state starts empty without one", async function () {
      expect(await refusal(undefined, "--load-state")).to.include("no such file");
      const network = await startPrivacyNetwork(freePortsConfig(), { stateFile: path.join(dir, "absent.json") });
      await network.stop();
      expect(fs.existsSync(path.join(dir, "absent.json"))).to.equal(true);
    });
  });

  it("a failed write leaves the old file as it was, and no temporary file", function () {
    const file = path.join(dir, "state.json");
    fs.writeFileSync(file, "old");
    const unwritable = { chainId: 1n } as unknown as SavedState; // JSON.stringify throws on a bigint
    expect(() => writeStateFile(file, unwritable)).to.throw(StateFileError, `${file}: cannot write the state`);
    expect(fs.readdirSync(dir)).to.deep.equal(["state.json"]);
    expect(fs.readFileSync(file, "utf8")).to.equal("old");
  });

  it("50 groups: prints the file's size and the load time", async function () {
    const file = path.join(dir, "state.json");
    let network: PrivacyNetwork = await startPrivacyNetwork(freePortsConfig(), { dumpState: file });
    const workStarted = performance.now();
    const groups: ViewedGroup[] = [];
    for (let i = 0; i < 50; i++) {
      const { groupId } = await createGroup(network.nodes[0].url, SIGNER1, KEY1, [KEY1, KEY2]);
      const deploy = await sendPrivate({ url: network.nodes[0].url, signer: SIGNER1, privateFrom: KEY1, groupId, to: null, data: counterCreationCode() });
      groups.push({ groupId, contract: (await receipt(network.nodes[0].url, deploy))!.contractAddress as string });
    }
    const workMs = performance.now() - workStarted;
    const before = await readEverything(network.nodes.map((node) => node.url), groups.slice(-2), []);
    await network.stop();
    const loadStarted = performance.now();
    network = await startPrivacyNetwork(freePortsConfig(), { loadState: file });
    const loadMs = performance.now() - loadStarted;
    try {
      console.log(`      50 groups, 100 private transactions (${workMs.toFixed(0)} ms to send): file ${(fs.statSync(file).size / 1024).toFixed(0)} KiB, start with load ${loadMs.toFixed(0)} ms`);
      expect(await readEverything(network.nodes.map((node) => node.url), groups.slice(-2), [])).to.deep.equal(before);
    } finally {
      await network.stop();
    }
  });
});

function freePortsConfig() {
  const config = defaultNetworkConfig();
  for (const node of config.nodes) node.rpcPort = 0;
  return config;
}
