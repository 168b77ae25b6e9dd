import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { computeAddress } from "ethers";
import { SignJWT, exportSPKI, generateKeyPair } from "jose";
import { USAGE, UsageError, entryPrinter, formatEntry, methodName, parseArgs, printAfterTurn, run } from "../../src/network/cli";
import type { PrivacyNetwork, PrivateTransactionEntry } from "../../src/network";
import { DEFAULT_NODES } from "../../src/network/defaults";
import { KEY1, KEY2, KEY3, PROXY, SIGNER1, addData, createGroup, lockData, sendPrivate } from "../helpers/network/group";
import { call, post } from "../helpers/network/rpc";

function recorder(): { out: string[]; err: string[]; io: { out(line: string): void; err(line: string): void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (line) => out.push(line), err: (line) => err.push(line) } };
}

function entry(overrides: Partial<PrivateTransactionEntry> = {}): PrivateTransactionEntry {
  return {
    node: "node1",
    markerHash: "0x" + "ab".repeat(32),
    privacyGroupId: KEY1,
    sender: SIGNER1.address.toLowerCase(),
    to: "0x000000000000000000000000000000000000007c",
    data: addData([KEY1]),
    status: "0x1",
    dropped: false,
    replayed: false,
    ...overrides,
  };
}

/** A config file for a network on free ports, so the test never takes 20000-20004. */
function freePortConfig(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fpg-cli-"));
  const file = path.join(dir, "network.json");
  const nodes = DEFAULT_NODES.map((node) => ({ name: node.name, rpcPort: 0, enclaveKeys: [node.enclaveKey] }));
  fs.writeFileSync(file, JSON.stringify({ nodes }));
  return file;
}

describe("fpg-node command line", function () {
  describe("arguments", function () {
    it("reads --config, --host and --help, with a space or an =", function () {
      expect(parseArgs([])).to.deep.equal({ help: false });
      expect(parseArgs(["--config", "a.json", "--host=0.0.0.0"])).to.deep.equal({
        help: false,
        config: "a.json",
        host: "0.0.0.0",
      });
      expect(parseArgs(["--config=b.json", "-h"])).to.deep.equal({ help: true, config: "b.json" });
    });

    it("reads the limit flags as text for the config reader to check", function () {
      expect(parseArgs(["--private-gas-cap", "60000000", "--private-timeout-ms=250", "--max-expensive-per-batch", "x"])).to.deep.equal({
        help: false,
        limits: { privateGasCap: "60000000", privateTimeoutMs: "250", maxExpensivePerBatch: "x" },
      });
      expect(() => parseArgs(["--private-timeout-ms"])).to.throw(UsageError, "--private-timeout-ms needs a value");
    });

    it("reads --max-token-age as text for the config reader to check", function () {
      expect(parseArgs(["--max-token-age=300"])).to.deep.equal({ help: false, maxTokenAge: "300" });
      expect(() => parseArgs(["--max-token-age"])).to.throw(UsageError, "--max-token-age needs a value");
    });

    it("refuses unknown arguments and flags without a value", function () {
      expect(() => parseArgs(["--port", "1"])).to.throw(UsageError, 'unknown argument "--port"');
      expect(() => parseArgs(["--config"])).to.throw(UsageError, "--config needs a value");
      expect(() => parseArgs(["--config", "--host", "x"])).to.throw(UsageError, "--config needs a value");
      expect(() => parseArgs(["--host="])).to.throw(UsageError, "--host needs a value");
    });
  });

  describe("one line per private transaction", function () {
    it("names the group's functions, deployments and unknown selectors", function () {
      expect(methodName(entry())).to.equal("addParticipants");
      expect(methodName(entry({ data: lockData() }))).to.equal("lock");
      expect(methodName(entry({ to: null, data: "0x6080" }))).to.equal("deploy");
      expect(methodName(entry({ to: "0x" + "11".repeat(20), data: "0x12345678abcd" }))).to.equal("0x12345678");
      expect(methodName(entry({ data: "0x" }))).to.equal("(no selector)");
    });

    it("shows group, sender, method and private status", function () {
      const line = formatEntry(entry());
      expect(line).to.contain(`group ${KEY1}`).and.contain(`from ${SIGNER1.address.toLowerCase()}`);
      expect(line).to.contain("addParticipants").and.contain("success (0x1)");
      expect(formatEntry(entry({ status: "0x0", dropped: true }))).to.contain("dropped (0x0): unknown");
      expect(formatEntry(entry({ status: "0x0", dropped: true, dropReason: "locked" }))).to.contain("dropped (0x0): locked");
      expect(formatEntry(entry({ status: "0x0" }))).to.contain("reverted (0x0)");
      expect(formatEntry(entry({ status: "0x2" }))).to.contain("invalid (0x2)");
    });

    it("prints each transaction once although every node that processed it reports it, and skips history replays", function () {
      const lines: string[] = [];
      const print = entryPrinter((line) => lines.push(line), 2);
      const [a, b, c] = ["0x01", "0x02", "0x03"].map((markerHash) => entry({ markerHash }));
      print(a);
      print({ ...a, node: "node2" });
      print({ ...b, replayed: true });
      print(b);
      expect(lines.map((line) => line.split("\n")[0])).to.deep.equal(["private tx 0x01", "private tx 0x02"]);
      // Only the last `remember` hashes are kept, so memory stays bounded.
      print(c);
      print(a);
      expect(lines).to.have.length(4);
    });

    it("prints the lines of one turn together, in order, after the turn", async function () {
      const printed: string[] = [];
      const print = printAfterTurn((text) => printed.push(text));
      print("a");
      print("b");
      expect(printed).to.deep.equal([]);
      await new Promise((resolve) => setImmediate(resolve));
      print("c");
      await new Promise((resolve) => setImmediate(resolve));
      expect(printed).to.deep.equal(["a\nb", "c"]);
    });
  });

  describe("run", function () {
    it("--help prints the usage and starts nothing", async function () {
      const { out, io } = recorder();
      expect(await run(["--help"], io)).to.equal(0);
      expect(out).to.deep.equal([USAGE]);
    });

    it("a wrong config prints one message naming the field and exits 1 before anything listens", async function () {
      const file = freePortConfig();
      fs.writeFileSync(file, JSON.stringify({ nodes: [{ name: "a", rpcPort: 0, enclaveKeys: ["abc"] }] }));
      const { out, err, io } = recorder();
      expect(await run(["--config", file], io)).to.equal(1);
      expect(out).to.deep.equal([]);
      expect(err).to.have.length(1);
      expect(err[0]).to.match(/^Error in configuration: .*nodes\[0\]\.enclaveKeys\[0\]: Tessera key/);
    });

    it("a wrong limit flag prints one message naming the flag and exits 1", async function () {
      const { out, err, io } = recorder();
      expect(await run(["--config", freePortConfig(), "--private-timeout-ms", "5s"], io)).to.equal(1);
      expect(out).to.deep.equal([]);
      expect(err).to.have.length(1);
      expect(err[0]).to.match(/^Error in configuration: .*: --private-timeout-ms: must be an integer from 10 to 3600000, got "5s"$/);
    });

    it("--max-token-age reaches a multi-tenancy node over HTTP; a millisecond exp is warned of once, for a batch and every later request", async function () {
      const { privateKey, publicKey } = await generateKeyPair("RS256");
      const file = freePortConfig();
      fs.writeFileSync(path.join(path.dirname(file), "jwt.pem"), await exportSPKI(publicKey));
      const tenancyNode = { name: "t", rpcPort: 0, enclaveKeys: [KEY1], multiTenancy: true, jwt: { publicKeyFile: "jwt.pem" } };
      fs.writeFileSync(file, JSON.stringify({ nodes: [tenancyNode] }));
      const { err, io } = recorder();
      const outcome = await run(["--config", file, "--max-token-age", "60"], io);
      if (typeof outcome === "number") expect.fail(`run exited ${outcome}: ${err.join("\n")}`);
      try {
        const sign = (claims: Record<string, unknown>) =>
          new SignJWT({ permissions: ["*:*"], ...claims }).setProtectedHeader({ alg: "RS256" }).sign(privateKey);
        const send = async (jwt: string, count = 1) => {
          const items = Array.from({ length: count }, (_, id) => ({ jsonrpc: "2.0", id, method: "eth_chainId", params: [] }));
          const body = JSON.stringify(count === 1 ? items[0] : items);
          return post(outcome.nodes[0].url, body, { authorization: `Bearer ${jwt}` });
        };
        const now = Math.floor(Date.now() / 1000);
        expect((await send(await sign({ exp: now + 3600 }))).status, "no iat").to.equal(401);
        expect((await send(await sign({ exp: now + 3600, iat: now - 120 }))).status, "iat too old").to.equal(401);
        const inMilliseconds = await sign({ exp: Date.now() + 3_600_000, iat: now });
        const batch = await send(inMilliseconds, 5);
        expect((batch.json as { result: string }[]).map((item) => item.result)).to.deep.equal(Array(5).fill("0x539"));
        for (let i = 0; i < 2; i++) expect((await send(inMilliseconds)).status).to.equal(200);
        // The node warns when it verifies the token: once for the batch and the requests after it.
        expect(err).to.have.length(1);
        expect(err[0]).to.match(/^Warning: t: a tenant's token has exp \d+, a time in milliseconds/);
      } finally {
        await outcome.stop();
      }
    });

    it("a port in use prints one message and exits 1", async function () {
      const first = await run(["--config", freePortConfig()], recorder().io);
      if (typeof first === "number") expect.fail("the first network did not start");
      try {
        const taken = Number(new URL(first.nodes[0].url).port);
        const file = freePortConfig();
        fs.writeFileSync(file, JSON.stringify({ nodes: [{ name: "twin", rpcPort: taken, enclaveKeys: [KEY1] }] }));
        const { err, io } = recorder();
        expect(await run(["--config", file], io)).to.equal(1);
        expect(err).to.have.length(1);
        expect(err[0]).to.contain("did not start").and.contain("EADDRINUSE");
      } finally {
        await first.stop();
      }
    });

    describe("a running network", function () {
      let network: PrivacyNetwork;
      const recorded = recorder();

      before(async function () {
        const outcome = await run(["--config", freePortConfig()], recorded.io);
        if (typeof outcome === "number") expect.fail(`run exited ${outcome}: ${recorded.err.join("\n")}`);
        network = outcome;
      });

      after(async function () {
        await network?.stop();
      });

      it("prints every node's URL and enclave keys and every account with its key, like hardhat node", function () {
        const banner = recorded.out.join("\n");
        for (const node of network.nodes) {
          expect(banner).to.contain(`${node.name}  ${node.url}`);
          expect(banner).to.contain(`enclave key ${node.enclaveKeys[0]}`);
        }
        for (const { privateKey } of DEFAULT_NODES) {
          expect(banner).to.contain(`${computeAddress(privateKey)}\nPrivate Key: ${privateKey}`);
        }
      });

      it("then prints one line for a private transaction sent over HTTP", async function () {
        const printed = recorded.out.length;
        const { groupId, markerHash } = await createGroup(network.nodes[0].url, SIGNER1, KEY1, [KEY1, KEY2]);
        await call(network.nodes[0].url, "priv_getTransactionReceipt", [markerHash]);
        const lines = recorded.out.slice(printed);
        expect(lines).to.deep.equal([
          `private tx ${markerHash}\n  group ${groupId}  from ${SIGNER1.address.toLowerCase()}  addParticipants  success (0x1)`,
        ]);
      });

      it("names on a dropped transaction's line which check of the precompile dropped it", async function () {
        const url = network.nodes[0].url;
        const { groupId, markerHash } = await createGroup(url, SIGNER1, KEY1, [KEY1, KEY2]);
        await call(url, "priv_getTransactionReceipt", [markerHash]); // its line is printed by then
        const printed = recorded.out.length;
        const add = await sendPrivate({ url, signer: SIGNER1, privateFrom: KEY1, groupId, to: PROXY, data: addData([KEY3]) });
        await call(url, "priv_getTransactionReceipt", [add]);
        expect(recorded.out.slice(printed)).to.deep.equal([
          `private tx ${add}\n  group ${groupId}  from ${SIGNER1.address.toLowerCase()}  addParticipants  dropped (0x0): unlockedForAdd`,
        ]);
      });
    });
  });
});
