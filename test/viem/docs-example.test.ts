import { expect } from "chai";
import { checkoutPath, docExample, runDocExample } from "../helpers/doc-example";
import { startTestNetwork } from "../helpers/network/network";

/** docs/viem.md's example, pointed at this test's network and at this checkout instead of the package. */
function pageExample(urls: string[]): string {
  return docExample("viem.md", "viem-example", [
    ['"flexible-privacy-groups/viem"', checkoutPath("src", "viem")],
    ['"./typechain-types"', checkoutPath("typechain-types")],
    ["http://127.0.0.1:20000", urls[0]],
    ["http://127.0.0.1:20002", urls[1]],
  ]);
}

describe("viem: the example of docs/viem.md runs as written", function () {
  this.timeout(60_000);

  it("creates, finds, deploys, writes, reads, reverts, adds, removes and reads the history", async function () {
    const network = await startTestNetwork();
    try {
      const printed = await runDocExample(pageExample(network.nodes.map((node) => node.url)));
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
