import net from "node:net";
import { expect } from "chai";
import { startPrivacyNetwork } from "../../src/network";
import { defaultNetworkConfig } from "../../src/network/defaults";
import { call } from "../helpers/network/rpc";
import { KEY1, KEY2, SIGNER1, addData, newGroupId, PROXY } from "../helpers/network/group";
import { signPrivateTx } from "../helpers/network/private-tx";
import { startTestNetwork } from "../helpers/network/network";

/** Resolves when something can listen on the port again. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

describe("network: starting and stopping", function () {
  it("starts three nodes on free ports, each with its enclave key, and frees every port on stop", async function () {
    const network = await startTestNetwork();
    expect(network.nodes.map((node) => node.enclaveKeys)).to.deep.equal(defaultNetworkConfig().nodes.map((node) => node.enclaveKeys));
    const ports = network.nodes.map((node) => Number(new URL(node.url).port));
    expect(new Set(ports).size).to.equal(3);
    for (const node of network.nodes) expect(await call(node.url, "eth_chainId")).to.equal("0x539");
    await network.stop();
    for (const port of ports) expect(await canListen(port)).to.equal(true);
  });

  it("refuses to start on a port in use, naming the node and the port", async function () {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    const config = defaultNetworkConfig();
    config.nodes.forEach((node) => (node.rpcPort = 0));
    config.nodes[2].rpcPort = taken;
    try {
      await expect(startPrivacyNetwork(config)).to.be.rejectedWith(`node3: cannot listen on 127.0.0.1:${taken}: EADDRINUSE`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("gives each node an EIP-1193 provider acting as the node's keys, errors carrying Besu's codes", async function () {
    const network = await startTestNetwork();
    try {
      const [node1, node2] = network.nodes;
      const groupId = newGroupId();
      const raw = signPrivateTx({ nonce: 0, to: PROXY, data: addData([KEY1, KEY2]), privateFrom: KEY1, privacyGroupId: groupId, chainId: 1337 }, SIGNER1.privateKey);
      const markerHash = await node1.provider.request({ method: "eea_sendRawTransaction", params: [raw] });
      const found = (await node2.provider.request({ method: "priv_getTransactionReceipt", params: [markerHash] })) as { status: string };
      expect(found.status).to.equal("0x1");
      await expect(node2.provider.request({ method: "priv_createPrivacyGroup", params: [] })).to.be.rejected.and.eventually.include({ code: -32604 });
      await expect(node2.provider.request({ method: "eea_sendRawTransaction", params: [raw] })).to.be.rejected.and.eventually.include({
        code: -32001,
        message: "Nonce too low",
      });
    } finally {
      await network.stop();
    }
  });
});
