import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { startClientNetwork, type ClientNetwork } from "../helpers/client-network";

const ROOT = path.join(__dirname, "..", "..");

/** A marked example of docs/besu-client.md, pointed at this test's network and at this checkout instead of the package. */
function readmeExample(urls: string[], marker = "besu-client-example", wsUrl = ""): string {
  const readme = fs.readFileSync(path.join(ROOT, "docs", "besu-client.md"), "utf8");
  const block = new RegExp(`<!-- ${marker}:start -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${marker}:end -->`).exec(readme);
  if (block === null) throw new Error(`docs/besu-client.md has no ${marker} block`);
  const source = block[1]
    .replace('"flexible-privacy-groups"', JSON.stringify(path.join(ROOT, "src")))
    .replace('"./typechain-types"', JSON.stringify(path.join(ROOT, "typechain-types")))
    .replace("http://127.0.0.1:20000", urls[0])
    .replace("http://127.0.0.1:20002", urls[1])
    .replace("ws://127.0.0.1:20000", wsUrl);
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

describe("client: the example of docs/besu-client.md runs as written", function () {
  let net: ClientNetwork;

  before(async function () {
    net = await startClientNetwork();
  });
  after(async () => net.stop());

  it("creates, finds, deploys, calls, reverts, adds, removes and reads the history", async function () {
    const printed: unknown[][] = [];
    const console = { log: (...values: unknown[]) => printed.push(values) };
    const run = new Function(
      "require",
      "exports",
      "console",
      `return (async () => {\n${readmeExample(net.network.nodes.map((node) => node.url))}\n})();`,
    );
    await run(require, {}, console);

    const [created, deployed, earlier, reverted, members, decision] = printed;
    expect(created[1]).to.have.length(2);
    expect(deployed).to.deep.equal([1, 1n]);
    expect(earlier).to.deep.equal([0n]);
    expect(reverted).to.deep.equal(["CounterLimitReached", [3n, 2n]]);
    expect(members[0]).to.have.length(2);
    expect(decision[0]).to.deep.include({ allowed: false });
  });

  it("over WebSocket: subscribes with priv_subscribe and prints the counter's new value from its log", async function () {
    const printed: unknown[][] = [];
    const console = { log: (...values: unknown[]) => printed.push(values), error: (...values: unknown[]) => printed.push(values) };
    const node = net.network.nodes[0];
    const run = new Function(
      "require",
      "exports",
      "console",
      `return (async () => {\n${readmeExample([], "besu-client-ws-example", node.wsUrl)}\n})();`,
    );
    await run(require, {}, console);
    expect(printed).to.deep.equal([[1n]]);
    expect(node.subscriptionCount()).to.equal(0); // unsubscribed, socket closed
  });
});
