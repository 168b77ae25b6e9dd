import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { startTestNetwork } from "../helpers/network/network";

const ROOT = path.join(__dirname, "..", "..");

/** docs/viem.md's example, pointed at this test's network and at this checkout instead of the package. */
function pageExample(urls: string[]): string {
  const page = fs.readFileSync(path.join(ROOT, "docs", "viem.md"), "utf8");
  const block = /<!-- viem-example:start -->\s*```ts\n([\s\S]*?)```\s*<!-- viem-example:end -->/.exec(page);
  if (block === null) throw new Error("docs/viem.md has no viem-example block");
  const source = block[1]
    .replace('"flexible-privacy-groups/viem"', JSON.stringify(path.join(ROOT, "src", "viem")))
    .replace('"./typechain-types"', JSON.stringify(path.join(ROOT, "typechain-types")))
    .replace("http://127.0.0.1:20000", urls[0])
    .replace("http://127.0.0.1:20002", urls[1]);
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

describe("viem: the example of docs/viem.md runs as written", function () {
  this.timeout(60_000);

  it("creates, finds, deploys, writes, reads, reverts, adds, removes and reads the history", async function () {
    const network = await startTestNetwork();
    try {
      const printed: unknown[][] = [];
      const console = { log: (...values: unknown[]) => printed.push(values) };
      const run = new Function(
        "require",
        "exports",
        "console",
        `return (async () => {\n${pageExample(network.nodes.map((node) => node.url))}\n})();`,
      );
      await run(require, {}, console);
      const [created, wrote, reverted, members, history] = printed;
      expect(created[1]).to.have.length(2);
      expect(wrote).to.deep.equal(["success", 1n]);
      expect(reverted).to.deep.equal(["CounterLimitReached", [3n, 2n]]);
      expect(members[0]).to.have.length(2);
      expect(history[0]).to.deep.equal(["added", "added", "added", "removed"]);
    } finally {
      await network.stop();
    }
  });
});
