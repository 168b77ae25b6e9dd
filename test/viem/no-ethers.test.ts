import { expect } from "chai";
import { spawn } from "node:child_process";
import path from "node:path";
import { DEFAULT_NODES } from "../../src/network/defaults";
import { startTestNetwork } from "../helpers/network/network";

const HERE = path.join(__dirname, "no-ethers");

/**
 * Runs node with `args` in a child where `ethers` cannot be resolved (block-ethers.ts), TypeScript through
 * ts-node. Asynchronous: this process serves the network the child talks to.
 */
function runWithoutEthers(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["-r", "ts-node/register", "-r", path.join(HERE, "block-ethers.ts"), ...args], {
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("viem: flexible-privacy-groups/viem runs where ethers is not installed", function () {
  this.timeout(180_000);

  it("the blocker works: a process that asks for ethers, even in a try, fails and says so", async function () {
    const run = await runWithoutEthers(["-e", 'try { require("ethers") } catch {}']);
    expect(run.status).to.equal(3);
    expect(run.stderr).to.contain("ethers was asked for");
  });

  it("the main entry point (the ethers client) refuses to load there, and says to install ethers or use the viem entry", async function () {
    const main = JSON.stringify(path.join(__dirname, "..", "..", "src"));
    const run = await runWithoutEthers(["-e", `try { require(${main}) } catch (error) { console.log(error.message) }`]);
    expect(run.stdout).to.contain("needs ethers 6, an optional peer dependency: `npm install ethers@6`");
    expect(run.stdout).to.contain("flexible-privacy-groups/viem");
    expect(run.stderr).to.contain("ethers was asked for"); // by the check, which is all it loads of ethers
    expect(run.stderr).to.not.contain("node_modules/ethers/");
  });

  it("creates a group, deploys, writes, reads, reverts with a custom error and reads the history, without ethers", async function () {
    const network = await startTestNetwork();
    try {
      const nodes = network.nodes.map((node, i) => ({
        url: node.url,
        privateKey: DEFAULT_NODES[i].privateKey,
        enclaveKey: DEFAULT_NODES[i].enclaveKey,
      }));
      const run = await runWithoutEthers([path.join(HERE, "consumer.ts")], { FPG_NODES: JSON.stringify(nodes) });
      expect(run.stderr, run.stderr).to.not.contain("ethers was asked for");
      expect(run.status, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout)).to.deep.equal({
        value: "1",
        reverted: "CounterLimitReached(2, 1)",
        history: ["added", "added"],
      });
    } finally {
      await network.stop();
    }
  });
});
