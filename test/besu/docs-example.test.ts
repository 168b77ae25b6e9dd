import { expect } from "chai";
import { startClientNetwork, type ClientNetwork } from "../helpers/client-network";
import { checkoutPath, docExample, runDocExample } from "../helpers/doc-example";

/** A marked example of docs/besu-client.md, pointed at this test's network and at this checkout instead of the package. */
function readmeExample(urls: string[], marker = "besu-client-example", wsUrl = ""): string {
  return docExample("besu-client.md", marker, [
    ['"flexible-privacy-groups"', checkoutPath("src")],
    ['"./typechain-types"', checkoutPath("typechain-types")],
    ["http://127.0.0.1:20000", urls[0]],
    ["http://127.0.0.1:20002", urls[1]],
    ["ws://127.0.0.1:20000", wsUrl],
  ]);
}

describe("client: the example of docs/besu-client.md runs as written", function () {
  let net: ClientNetwork;

  before(async function () {
    net = await startClientNetwork();
  });
  after(async () => net.stop());

  it("creates, finds, deploys, calls, reverts, adds, removes and reads the history", async function () {
    const printed = await runDocExample(readmeExample(net.network.nodes.map((node) => node.url)));

    const [created, deployed, earlier, reverted, members, decision] = printed;
    expect(created[1]).to.have.length(2);
    expect(deployed).to.deep.equal([1, 1n]);
    expect(earlier).to.deep.equal([0n]);
    expect(reverted).to.deep.equal(["CounterLimitReached", [3n, 2n]]);
    expect(members[0]).to.have.length(2);
    expect(decision[0]).to.deep.include({ allowed: false });
  });

  it("over WebSocket: subscribes with priv_subscribe and prints the counter's new value from its log", async function () {
    const node = net.network.nodes[0];
    const printed = await runDocExample(readmeExample([], "besu-client-ws-example", node.wsUrl));
    expect(printed).to.deep.equal([[1n]]);
    expect(node.subscriptionCount()).to.equal(0); // unsubscribed, socket closed
  });
});
