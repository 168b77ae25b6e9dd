import { expect } from "chai";
import { SignJWT, exportSPKI, generateKeyPair } from "jose";
import { KEY1, KEY2, PROXY, SIGNER1, SIGNER2, addData, createGroup, receipt, sendPrivate } from "../helpers/network/group";
import { startTestNetwork } from "../helpers/network/network";
import { signPrivateTx } from "../helpers/network/private-tx";
import { call, post, rpc, rpcError } from "../helpers/network/rpc";

type Network = Awaited<ReturnType<typeof startTestNetwork>>;

/** Creation code that deploys `runtime`: PUSH2 size, PUSH1 12, PUSH0, CODECOPY, PUSH2 size, PUSH0, RETURN, then the runtime. */
function deploying(runtime: string): string {
  const size = (runtime.length / 2).toString(16).padStart(4, "0");
  return "0x61" + size + "600c5f3961" + size + "5ff3" + runtime;
}

/** JUMPDEST PUSH1 0 JUMP: an endless loop, the ordinary mistake. */
const LOOP = deploying("5b600056");
/** Counts the first calldata word down to 0, 26 gas a round: CALLDATALOAD(0) JUMPDEST PUSH1 1 SWAP1 SUB DUP1 PUSH1 2 JUMPI STOP. */
const BURNER = deploying("5f355b600190038060025700");
/** No loop and no call: 150 × (PUSH3 8 MB, PUSH0, KECCAK256, POP), each hash a large share of a second. */
const HASHER = deploying("628000005f2050".repeat(150) + "00");
const rounds = (n: number) => "0x" + n.toString(16).padStart(64, "0");

/** Deploys private contracts from node 1 into a new group of nodes 1 and 2; returns the group and their addresses. */
async function groupWith(url: string, ...creations: string[]): Promise<{ groupId: string; addresses: string[] }> {
  const { groupId } = await createGroup(url, SIGNER1, KEY1, [KEY1, KEY2]);
  const addresses: string[] = [];
  for (const data of creations) {
    const markerHash = await sendPrivate({ url, signer: SIGNER1, privateFrom: KEY1, groupId, to: null, data });
    addresses.push((await receipt(url, markerHash))!.contractAddress!);
  }
  return { groupId, addresses };
}

/** Runs `work` with console.error collected (the node's log lines), and returns them. */
async function logged(work: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    await work();
  } finally {
    console.error = original;
  }
  return lines;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `slow` and, once it runs, asks `probe`: the probe must answer within 2 s and before `slow` ends
 * (the test's client shares the network's process, so a blocked event loop would delay both).
 */
async function probeDuring(slow: () => Promise<unknown>, probe: () => Promise<unknown>): Promise<void> {
  let slowEnded = Infinity;
  const running = slow().finally(() => (slowEnded = performance.now()));
  await sleep(300);
  const asked = performance.now();
  await probe();
  const answered = performance.now();
  await running;
  expect(answered - asked, "the probe's round trip (ms)").to.be.below(2000);
  expect(answered, "the probe answered before the long call ended").to.be.below(slowEnded);
}

describe("network: an endless private call cannot freeze the network", function () {
  this.timeout(120_000);

  describe("the wall-clock budget (3 s here, with gas to spare)", function () {
    const BUDGET_MS = 3000;
    let network: Network;
    let url1: string, url2: string;
    let groupId: string, loop: string, burner: string, hasher: string;

    before(async function () {
      network = await startTestNetwork((config) => {
        config.privateTimeoutMs = BUDGET_MS;
        config.privateGasCap = 10 ** 12;
      });
      [url1, url2] = network.nodes.map((node) => node.url);
      ({ groupId, addresses: [loop, burner, hasher] } = await groupWith(url1, LOOP, BURNER, HASHER));
    });
    after(async () => network.stop());

    it("ends a priv_call of the loop with Timeout expired within the budget, and logs one line saying what to raise", async function () {
      let error: Awaited<ReturnType<typeof rpcError>> | undefined;
      const started = performance.now();
      const lines = await logged(async () => {
        error = await rpcError(url1, "priv_call", [groupId, { to: loop, data: "0x" }, "latest"]);
      });
      const took = performance.now() - started;
      expect(error).to.deep.include({ code: -32603, message: "Timeout expired" });
      expect(error!.data).to.match(/^priv_call ran past the private execution budget of 3000 ms.*privateTimeoutMs.*--private-timeout-ms$/);
      expect(took).to.be.within(BUDGET_MS - 100, BUDGET_MS + 3000);
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(new RegExp(`^node1: priv_call in group ${groupId.replace(/[+/]/g, "\\$&")} stopped at the private execution budget of 3000 ms.*privateTimeoutMs.*--private-timeout-ms$`));
    });

    it("keeps answering another node's eth_blockNumber while the loop runs", async function () {
      await probeDuring(
        () => logged(async () => void (await rpc(url1, "priv_call", [groupId, { to: loop, data: "0x" }, "latest"]))),
        () => call(url2, "eth_blockNumber"),
      );
    });

    it("ends straight-line code of large KECCAK256s (no jump, no call) at the budget too, answering another node meanwhile", async function () {
      // Under c8's block counters (npm run coverage:ts) one 1 MB KECCAK256 takes hundreds of ms, and the probe
      // needs several event-loop turns between them: this timing is judged by npm test, uninstrumented.
      if (process.env.NODE_V8_COVERAGE !== undefined) this.skip();
      let error: Awaited<ReturnType<typeof rpcError>> | undefined;
      let took = 0;
      await probeDuring(
        () =>
          logged(async () => {
            const started = performance.now();
            error = await rpcError(url1, "priv_call", [groupId, { to: hasher, data: "0x" }, "latest"]);
            took = performance.now() - started;
          }),
        () => call(url2, "eth_blockNumber"),
      );
      expect(error).to.deep.include({ code: -32603, message: "Timeout expired" });
      expect(took).to.be.within(BUDGET_MS - 100, BUDGET_MS + 3000);
    });

    it("fails a private transaction that hits the budget as out of gas (status 0x0); the group goes on", async function () {
      let markerHash = "";
      const lines = await logged(async () => {
        markerHash = await sendPrivate({ url: url1, signer: SIGNER2, privateFrom: KEY1, groupId, to: loop, data: "0x" });
      });
      expect((await receipt(url1, markerHash))!.status).to.equal("0x0");
      expect((await receipt(url2, markerHash))!.status).to.equal("0x0");
      // Node 2 takes node 1's result for the same state, so only node 1 ran out of time.
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(new RegExp(`^node1: private transaction ${markerHash} in group .* stopped at the private execution budget of 3000 ms`));
      const next = await sendPrivate({ url: url2, signer: SIGNER2, privateFrom: KEY2, groupId, to: burner, data: rounds(10) });
      expect((await receipt(url2, next))!.status).to.equal("0x1");
      // Its trace runs the loop again, and ends the same way.
      const traced = await logged(async () => {
        expect(await rpcError(url1, "priv_traceTransaction", [groupId, markerHash])).to.deep.include({ code: -32603, message: "Timeout expired" });
      });
      expect(traced).to.have.length(1);
      expect(traced[0]).to.match(/^node1: priv_traceTransaction of 0x[0-9a-f]{64} in group .* stopped at the private execution budget of 3000 ms/);
    });

    it("fails a transaction whose caller ignores the halted loop it called: out of time fails the whole call", async function () {
      // PUSH0 ×5, PUSH20 loop, GAS, CALL, POP, STOP: succeeds whatever the call did.
      const caller = deploying("5f5f5f5f5f73" + loop.slice(2) + "5af15000");
      const deployed = await sendPrivate({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId, to: null, data: caller });
      const to = (await receipt(url1, deployed))!.contractAddress!;
      let markerHash = "";
      await logged(async () => {
        markerHash = await sendPrivate({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId, to, data: "0x" });
      });
      expect((await receipt(url1, markerHash))!.status).to.equal("0x0");
    });
  });

  describe("in multi-tenancy", function () {
    let network: Network;
    let url: string;
    let tokens: { alice: string; bob: string };
    const ALICE = Buffer.alloc(32, 0xa1).toString("base64");
    const BOB = Buffer.alloc(32, 0xb0).toString("base64");

    before(async function () {
      const { privateKey, publicKey } = await generateKeyPair("RS256");
      const publicKeyPem = await exportSPKI(publicKey);
      const tokenFor = (key: string) =>
        new SignJWT({ permissions: ["*:*"], privacyPublicKey: key, exp: Math.floor(Date.now() / 1000) + 3600 })
          .setProtectedHeader({ alg: "RS256" })
          .sign(privateKey);
      tokens = { alice: await tokenFor(ALICE), bob: await tokenFor(BOB) };
      network = await startTestNetwork((config) => {
        config.privateTimeoutMs = 3000;
        config.privateGasCap = 10 ** 12;
        config.nodes[0] = { ...config.nodes[0], enclaveKeys: [ALICE, BOB], multiTenancy: true, jwt: { publicKeyPem, algorithm: "RS256" } };
      });
      url = network.nodes[0].url;
    });
    after(async () => network.stop());

    it("keeps answering another tenant's eth_blockNumber while one tenant's loop runs", async function () {
      const as = async (jwt: string, method: string, params: unknown[]) => {
        const { json } = await post(url, JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }), { authorization: `Bearer ${jwt}` });
        return json as { result?: unknown; error?: { code: number; message: string } };
      };
      const groupId = Buffer.alloc(32, 7).toString("base64");
      const send = async (nonce: number, to: string | null, data: string) => {
        const raw = signPrivateTx({ nonce, to, data, privateFrom: ALICE, privacyGroupId: groupId, chainId: 1337 }, SIGNER1.privateKey);
        return (await as(tokens.alice, "eea_sendRawTransaction", [raw])).result as string;
      };
      await send(0, PROXY, addData([ALICE]));
      const deployed = (await as(tokens.alice, "priv_getTransactionReceipt", [await send(1, null, LOOP)])).result as { contractAddress: string };
      await probeDuring(
        () => logged(async () => void (await as(tokens.alice, "priv_call", [groupId, { to: deployed.contractAddress, data: "0x" }, "latest"]))),
        async () => expect((await as(tokens.bob, "eth_blockNumber", [])).result).to.match(/^0x[0-9a-f]+$/),
      );
    });
  });

  describe("the gas cap (1,000,000 here) and the batch limit (2 here)", function () {
    let network: Network;
    let url1: string;
    let groupId: string, burner: string;

    before(async function () {
      network = await startTestNetwork((config) => {
        config.privateGasCap = 1_000_000;
        config.maxExpensivePerBatch = 2;
      });
      url1 = network.nodes[0].url;
      ({ groupId, addresses: [burner] } = await groupWith(url1, BURNER));
    });
    after(async () => network.stop());

    it("gives a priv_call the cap, whatever gas it asks (Besu ignores it): past the cap it fails as Besu's failed call", async function () {
      const burn = (n: number, gas?: string) => [groupId, { to: burner, data: rounds(n), ...(gas === undefined ? {} : { gas }) }, "latest"];
      expect(await call(url1, "priv_call", burn(30_000))).to.equal("0x"); // about 780,000 gas
      const failed = { code: -50100, message: "Private transaction failed" };
      expect(await rpcError(url1, "priv_call", burn(50_000))).to.deep.equal(failed); // about 1,300,000 gas
      expect(await rpcError(url1, "priv_call", burn(50_000, "0xffffffffffffffff"))).to.deep.equal(failed);
      expect(await call(url1, "priv_call", burn(30_000, "0x1"))).to.equal("0x");
    });

    it("fails a private transaction that needs more than the cap (status 0x0)", async function () {
      const markerHash = await sendPrivate({ url: url1, signer: SIGNER1, privateFrom: KEY1, groupId, to: burner, data: rounds(50_000) });
      expect((await receipt(url1, markerHash))!.status).to.equal("0x0");
    });

    it("answers expensive batch items past the limit with a named error, without running them; the rest as usual", async function () {
      const item = (id: number, method: string, params: unknown[]) => ({ jsonrpc: "2.0", id, method, params });
      const privCall = (id: number) => item(id, "priv_call", [groupId, { to: burner, data: rounds(1) }, "latest"]);
      const batch = [privCall(1), item(2, "eth_blockNumber", []), item(3, "eth_call", [{ to: burner }, "latest"]), privCall(4), item(5, "eth_chainId", [])];
      const { status, json } = await post(url1, JSON.stringify(batch));
      expect(status).to.equal(200);
      const answers = json as { id: number; result?: unknown; error?: { code: number; message: string; data: string } }[];
      expect(answers.map((answer) => answer.id)).to.deep.equal([1, 2, 3, 4, 5]);
      expect(answers[0].result).to.equal("0x");
      expect(answers[1].result).to.match(/^0x/);
      expect(answers[2].result).to.equal("0x");
      expect(answers[3].error).to.deep.include({ code: -32005, message: "Number of expensive requests exceeds max per batch" });
      expect(answers[3].error!.data).to.match(/maxExpensivePerBatch.*--max-expensive-per-batch/);
      expect(answers[4].result).to.equal("0x539");
    });
  });
});
