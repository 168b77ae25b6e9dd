import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { NetworkConfigError, loadNetworkConfig, parseNetworkConfig } from "../../src/network/config";
import { DEFAULT_NODES, defaultNetworkConfig, packageGroupGenesis } from "../../src/network/defaults";
import { startPrivacyNetwork } from "../../src/network";
import { tamperedAllocs } from "../helpers/blob";

const KEY_A = Buffer.alloc(32, 1).toString("base64");
const KEY_B = Buffer.alloc(32, 2).toString("base64");
const KEY_EC = Buffer.alloc(91, 3).toString("base64");
const RSA_PEM = crypto
  .generateKeyPairSync("rsa", { modulusLength: 2048 })
  .publicKey.export({ type: "spki", format: "pem" }) as string;
const P256_PEM = crypto
  .generateKeyPairSync("ec", { namedCurve: "prime256v1" })
  .publicKey.export({ type: "spki", format: "pem" }) as string;

/** A fresh folder with the files a config refers to; the config itself goes in conf/network.json. */
function workspace(): { dir: string; write(name: string, content: string): string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fpg-config-"));
  return {
    dir,
    write(name, content) {
      const file = path.join(dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      return file;
    },
  };
}

function node(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: "alpha", rpcPort: 0, enclaveKeys: [KEY_A], ...overrides };
}

function expectConfigError(run: () => unknown, field: string, message: RegExp): NetworkConfigError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected a NetworkConfigError").to.be.instanceOf(NetworkConfigError);
  const error = caught as NetworkConfigError;
  expect(error.field).to.equal(field);
  expect(error.message).to.match(message);
  expect(error.message).to.contain(field === "" ? "config" : field);
  return error;
}

describe("network config", function () {
  describe("defaults", function () {
    it("without a file is the default network", function () {
      expect(loadNetworkConfig()).to.deep.equal(defaultNetworkConfig());
    });

    it("an empty object is the default network: web3js-quorum's three nodes on 20000/20002/20004", function () {
      const config = parseNetworkConfig({});
      expect(config.nodes.map((n) => n.rpcPort)).to.deep.equal([20000, 20002, 20004]);
      expect(config.nodes.map((n) => n.enclaveKeys[0])).to.deep.equal(DEFAULT_NODES.map((n) => n.enclaveKey));
      expect(config).to.include({ chainId: 1337, blockTime: 0, host: "127.0.0.1", accessRules: "documented" });
      expect(config.groupGenesis).to.deep.equal(packageGroupGenesis());
    });

    it("--host overrides the file's host", function () {
      expect(parseNetworkConfig({ host: "127.0.0.2" }, { host: "0.0.0.0" }).host).to.equal("0.0.0.0");
      expectConfigError(() => parseNetworkConfig({}, { host: "" }), "--host", /non-empty string/);
    });
  });

  describe("the limits of private execution and of batches", function () {
    it("default to the block gas limit, 5 s and 16; a file or a flag sets them, the flag winning", function () {
      expect(parseNetworkConfig({})).to.include({ privateGasCap: 30_000_000, privateTimeoutMs: 5000, maxExpensivePerBatch: 16 });
      const file = { privateGasCap: 50_000_000, privateTimeoutMs: 20_000, maxExpensivePerBatch: 4 };
      expect(parseNetworkConfig(file)).to.include(file);
      const flags = { privateGasCap: "60000000", privateTimeoutMs: "250", maxExpensivePerBatch: "1024" };
      expect(parseNetworkConfig(file, { limits: flags })).to.include({ privateGasCap: 60_000_000, privateTimeoutMs: 250, maxExpensivePerBatch: 1024 });
    });

    it("refuse values out of range or not integers, naming the field or the flag", function () {
      expectConfigError(() => parseNetworkConfig({ privateGasCap: 21000 }), "privateGasCap", /integer from 1000000 to 9007199254740991, got number 21000/);
      expectConfigError(() => parseNetworkConfig({ privateGasCap: "30000000" }), "privateGasCap", /integer from 1000000/);
      expectConfigError(() => parseNetworkConfig({ privateTimeoutMs: 0 }), "privateTimeoutMs", /integer from 10 to 3600000/);
      expectConfigError(() => parseNetworkConfig({ privateTimeoutMs: 1.5 }), "privateTimeoutMs", /integer from 10/);
      expectConfigError(() => parseNetworkConfig({ maxExpensivePerBatch: 0 }), "maxExpensivePerBatch", /integer from 1 to 1024/);
      expectConfigError(() => parseNetworkConfig({ maxExpensivePerBatch: 1025 }), "maxExpensivePerBatch", /integer from 1 to 1024/);
      expectConfigError(() => parseNetworkConfig({}, { limits: { privateTimeoutMs: "5s" } }), "--private-timeout-ms", /integer from 10 to 3600000, got "5s"/);
      expectConfigError(() => parseNetworkConfig({}, { limits: { privateGasCap: "1e9" } }), "--private-gas-cap", /got "1e9"/);
      expectConfigError(() => parseNetworkConfig({}, { limits: { maxExpensivePerBatch: "0" } }), "--max-expensive-per-batch", /integer from 1 to 1024/);
      expectConfigError(() => loadNetworkConfig(undefined, { limits: { privateTimeoutMs: "-1" } }), "--private-timeout-ms", /got "-1"/);
    });
  });

  describe("the limits of private filters", function () {
    it("default to 100 per tenant, 1000 addresses, 1000 topics and Besu's 10 minutes; a file or a flag sets them", function () {
      expect(parseNetworkConfig({})).to.include({ maxFiltersPerTenant: 100, maxFilterAddresses: 1000, maxFilterTopics: 1000, filterTimeoutMs: 600_000 });
      const file = { maxFiltersPerTenant: 5, maxFilterAddresses: 6, maxFilterTopics: 7, filterTimeoutMs: 8000 };
      expect(parseNetworkConfig(file)).to.include(file);
      expect(parseNetworkConfig(file, { limits: { filterTimeoutMs: "100" } })).to.include({ filterTimeoutMs: 100 });
    });

    it("refuse values out of range, naming the field or the flag", function () {
      expectConfigError(() => parseNetworkConfig({ maxFiltersPerTenant: 0 }), "maxFiltersPerTenant", /integer from 1 to 1000000/);
      expectConfigError(() => parseNetworkConfig({ filterTimeoutMs: 99 }), "filterTimeoutMs", /integer from 100 to 86400000/);
      expectConfigError(() => parseNetworkConfig({}, { limits: { maxFilterAddresses: "many" } }), "--max-filter-addresses", /got "many"/);
    });
  });

  describe("the limits of WebSocket subscriptions", function () {
    it("default to 100 subscriptions per connection and 16 MiB unsent per socket; a file or a flag sets them", function () {
      expect(parseNetworkConfig({})).to.include({ maxSubscriptionsPerConnection: 100, maxWsBufferedBytes: 16 * 1024 * 1024 });
      const flags = { maxSubscriptionsPerConnection: "7", maxWsBufferedBytes: "4096" };
      expect(parseNetworkConfig({ maxSubscriptionsPerConnection: 5 }, { limits: flags })).to.include({ maxSubscriptionsPerConnection: 7, maxWsBufferedBytes: 4096 });
      expectConfigError(() => parseNetworkConfig({ maxSubscriptionsPerConnection: 0 }), "maxSubscriptionsPerConnection", /integer from 1 to 1000000/);
      expectConfigError(() => parseNetworkConfig({}, { limits: { maxWsBufferedBytes: "1e6" } }), "--max-ws-buffered-bytes", /got "1e6"/);
    });
  });

  describe("a full file", function () {
    it("resolves relative paths against the file's folder, not the working directory", function () {
      const ws = workspace();
      const alloc = packageGroupGenesis();
      ws.write("conf/data/alloc.json", JSON.stringify(alloc));
      ws.write("conf/keys/jwt.pub.pem", P256_PEM);
      const file = ws.write(
        "conf/network.json",
        JSON.stringify({
          chainId: 2018,
          blockTime: 2,
          host: "127.0.0.1",
          groupGenesis: "data/alloc.json",
          accessRules: "besu-25.5",
          accounts: ["0x" + "11".repeat(32)],
          nodes: [
            node({ rpcPort: 30000, enclaveKeys: [KEY_A, KEY_EC] }),
            node({
              name: "beta",
              rpcPort: 0,
              wsPort: 0,
              enclaveKeys: [KEY_B],
              multiTenancy: true,
              jwt: { publicKeyFile: "keys/jwt.pub.pem", algorithm: "ES256" },
            }),
          ],
          privateGasCap: 40_000_000,
          privateTimeoutMs: 2000,
          maxExpensivePerBatch: 8,
          maxFiltersPerTenant: 7,
          filterTimeoutMs: 60_000,
          maxSubscriptionsPerConnection: 5,
        }),
      );
      const config = loadNetworkConfig(file);
      expect(config).to.deep.equal({
        chainId: 2018,
        blockTime: 2,
        host: "127.0.0.1",
        groupGenesis: alloc,
        accessRules: "besu-25.5",
        accounts: ["0x" + "11".repeat(32)],
        nodes: [
          { name: "alpha", rpcPort: 30000, enclaveKeys: [KEY_A, KEY_EC], multiTenancy: false },
          {
            name: "beta",
            rpcPort: 0,
            enclaveKeys: [KEY_B],
            multiTenancy: true,
            jwt: { publicKeyPem: P256_PEM, algorithm: "ES256" },
            wsPort: 0,
          },
        ],
        privateGasCap: 40_000_000,
        privateTimeoutMs: 2000,
        maxExpensivePerBatch: 8,
        maxFiltersPerTenant: 7,
        maxFilterAddresses: 1000,
        maxFilterTopics: 1000,
        filterTimeoutMs: 60_000,
        maxSubscriptionsPerConnection: 5,
        maxWsBufferedBytes: 16 * 1024 * 1024,
      });
    });

    it("jwt.algorithm defaults to Besu's RS256", function () {
      const ws = workspace();
      ws.write("rsa.pem", RSA_PEM);
      const config = parseNetworkConfig(
        { nodes: [node({ multiTenancy: true, jwt: { publicKeyFile: "rsa.pem" } })] },
        { baseDir: ws.dir },
      );
      expect(config.nodes[0].jwt).to.deep.equal({ publicKeyPem: RSA_PEM, algorithm: "RS256" });
    });

    it("jwt.maxTokenAge takes seconds from 1 to a year, and refuses anything else by its path", function () {
      const ws = workspace();
      ws.write("rsa.pem", RSA_PEM);
      const withAge = (maxTokenAge: unknown) =>
        parseNetworkConfig({ nodes: [node({ multiTenancy: true, jwt: { publicKeyFile: "rsa.pem", maxTokenAge } })] }, { baseDir: ws.dir });
      expect(withAge(3600).nodes[0].jwt).to.deep.equal({ publicKeyPem: RSA_PEM, algorithm: "RS256", maxTokenAge: 3600 });
      expectConfigError(() => withAge(0), "nodes[0].jwt.maxTokenAge", /integer from 1 to 31536000/);
      expectConfigError(() => withAge("1h"), "nodes[0].jwt.maxTokenAge", /integer from 1/);
    });

    it("the --max-token-age flag sets every multi-tenancy node's jwt.maxTokenAge, and is refused where no node would use it", function () {
      const ws = workspace();
      ws.write("rsa.pem", RSA_PEM);
      const jwt = { publicKeyFile: "rsa.pem", maxTokenAge: 3600 };
      const nodes = [node({ multiTenancy: true, jwt }), node({ name: "plain", enclaveKeys: [KEY_B] })];
      const config = parseNetworkConfig({ nodes }, { baseDir: ws.dir, maxTokenAge: "60" });
      expect(config.nodes.map((each) => each.jwt?.maxTokenAge)).to.deep.equal([60, undefined]);
      expectConfigError(() => parseNetworkConfig({ nodes }, { baseDir: ws.dir, maxTokenAge: "1h" }), "--max-token-age", /integer from 1 to 31536000, got "1h"/);
      expectConfigError(() => parseNetworkConfig({}, { maxTokenAge: "60" }), "--max-token-age", /no node has multiTenancy: true/);
    });

    it("two nodes may both ask for a free port (0)", function () {
      const config = parseNetworkConfig({ nodes: [node(), node({ name: "beta", enclaveKeys: [KEY_B] })] });
      expect(config.nodes.map((n) => n.rpcPort)).to.deep.equal([0, 0]);
    });

    it("a custom alloc, marked custom, only needs code at 0x…7b and 0x…7c; addresses and hex are normalised to lower case", function () {
      const ws = workspace();
      ws.write(
        "alloc.json",
        JSON.stringify({
          "0x000000000000000000000000000000000000007B": { code: "0x60FF" },
          "0x000000000000000000000000000000000000007c": { code: "0x6001", balance: "0", storage: { "0x0": "0x7B" } },
        }),
      );
      const config = parseNetworkConfig({ groupGenesis: { file: "alloc.json", custom: true } }, { baseDir: ws.dir });
      expect(config.groupGenesis).to.deep.equal({
        "0x000000000000000000000000000000000000007b": { code: "0x60ff" },
        "0x000000000000000000000000000000000000007c": { code: "0x6001", balance: "0", storage: { "0x0": "0x7b" } },
      });
      expect(config.customGroupGenesis).to.equal(true);
      expectConfigError(
        () => parseNetworkConfig({ groupGenesis: "alloc.json" }, { baseDir: ws.dir }),
        "groupGenesis",
        /is not this package's blob .*0x0+7b code: expected keccak256 0x[0-9a-f]{64} \(\d+ bytes\), found keccak256 .*"custom": true/,
      );
    });

    it("the blob named alone is accepted, in any address and hex case, and is not custom", function () {
      const ws = workspace();
      const upper = Object.fromEntries(
        Object.entries(packageGroupGenesis()).map(([address, account]) => [address.toUpperCase().replace("0X", "0x"), account]),
      );
      ws.write("alloc.json", JSON.stringify(upper));
      const config = parseNetworkConfig({ groupGenesis: "alloc.json" }, { baseDir: ws.dir });
      expect(config.customGroupGenesis).to.equal(undefined);
      expect(config.groupGenesis).to.deep.equal(packageGroupGenesis());
    });
  });

  describe("refusals name the field and what to do", function () {
    it("an unknown field, at the top or inside a node or jwt", function () {
      expectConfigError(() => parseNetworkConfig({ chainID: 1 }), "chainID", /unknown field; remove it/);
      expectConfigError(
        () => parseNetworkConfig({ nodes: [node({ rpcport: 1 })] }),
        "nodes[0].rpcport",
        /unknown field/,
      );
      const ws = workspace();
      ws.write("rsa.pem", RSA_PEM);
      expectConfigError(
        () =>
          parseNetworkConfig(
            { nodes: [node({ multiTenancy: true, jwt: { publicKeyFile: "rsa.pem", alg: "RS256" } })] },
            { baseDir: ws.dir },
          ),
        "nodes[0].jwt.alg",
        /unknown field/,
      );
    });

    it("wrong types", function () {
      expectConfigError(() => parseNetworkConfig([]), "", /must be a JSON object, got an array/);
      expectConfigError(() => parseNetworkConfig({ chainId: "1337" }), "chainId", /integer from 1/);
      expectConfigError(() => parseNetworkConfig({ chainId: 0 }), "chainId", /integer from 1/);
      expectConfigError(() => parseNetworkConfig({ blockTime: -1 }), "blockTime", /integer from 0 to 3600/);
      expectConfigError(() => parseNetworkConfig({ blockTime: 0.5 }), "blockTime", /integer/);
      expectConfigError(
        () => parseNetworkConfig({ accessRules: "besu" }),
        "accessRules",
        /"documented" or "besu-25.5"/,
      );
      expectConfigError(() => parseNetworkConfig({ nodes: [] }), "nodes", /non-empty array/);
      expectConfigError(
        () => parseNetworkConfig({ nodes: [node({ rpcPort: 65536 })] }),
        "nodes[0].rpcPort",
        /0 to 65535/,
      );
      expectConfigError(() => parseNetworkConfig({ nodes: [node({ wsPort: -1 })] }), "nodes[0].wsPort", /0 to 65535/);
      expectConfigError(() => parseNetworkConfig({ nodes: [node({ name: "" })] }), "nodes[0].name", /non-empty string/);
      expectConfigError(
        () => parseNetworkConfig({ nodes: [node({ multiTenancy: "yes" })] }),
        "nodes[0].multiTenancy",
        /true or false/,
      );
      expectConfigError(
        () => parseNetworkConfig({ nodes: [{ name: "a", rpcPort: 1 }] }),
        "nodes[0].enclaveKeys",
        /is missing/,
      );
    });

    it("an account that is not a private key, without echoing it", function () {
      const almost = "0x" + "ab".repeat(31);
      const error = expectConfigError(() => parseNetworkConfig({ accounts: [almost] }), "accounts[0]", /64 hex digits/);
      expect(error.message).not.to.contain("abab");
      expectConfigError(
        () => parseNetworkConfig({ accounts: ["0x" + "00".repeat(32)] }),
        "accounts[0]",
        /not a valid secp256k1/,
      );
      expectConfigError(
        () => parseNetworkConfig({ accounts: ["0x" + "11".repeat(32), "0x" + "11".repeat(32)] }),
        "accounts[1]",
        /repeats accounts\[0\]/,
      );
    });

    it("a duplicate port, name or enclave key", function () {
      expectConfigError(
        () =>
          parseNetworkConfig({
            nodes: [node({ rpcPort: 9000 }), node({ name: "beta", rpcPort: 9000, enclaveKeys: [KEY_B] })],
          }),
        "nodes[1].rpcPort",
        /repeats nodes\[0\]\.rpcPort 9000/,
      );
      expectConfigError(
        () => parseNetworkConfig({ nodes: [node(), node({ enclaveKeys: [KEY_B] })] }),
        "nodes[1].name",
        /repeats nodes\[0\]\.name/,
      );
      expectConfigError(
        () => parseNetworkConfig({ nodes: [node(), node({ name: "beta", enclaveKeys: [KEY_B, KEY_A] })] }),
        "nodes[1].enclaveKeys[1]",
        /repeats nodes\[0\]\.enclaveKeys\[0\]; an enclave key belongs to exactly one node/,
      );
      expectConfigError(
        () => parseNetworkConfig({ nodes: [node({ enclaveKeys: [KEY_A, KEY_A] })] }),
        "nodes[0].enclaveKeys[1]",
        /list each key once/,
      );
    });

    it("a key that is not a Tessera key", function () {
      const short = Buffer.alloc(31, 1).toString("base64");
      expectConfigError(
        () => parseNetworkConfig({ nodes: [node({ enclaveKeys: [short] })] }),
        "nodes[0].enclaveKeys[0]",
        /must be 32 or 91 bytes, got 31/,
      );
      expectConfigError(
        () => parseNetworkConfig({ nodes: [node({ enclaveKeys: [KEY_A.replace(/=$/, "")] })] }),
        "nodes[0].enclaveKeys[0]",
        /padding/,
      );
      expectConfigError(
        () => parseNetworkConfig({ nodes: [node({ enclaveKeys: [7] })] }),
        "nodes[0].enclaveKeys[0]",
        /not a string/,
      );
    });

    it("multi-tenancy without jwt, and jwt without multi-tenancy", function () {
      expectConfigError(
        () => parseNetworkConfig({ nodes: [node({ multiTenancy: true })] }),
        "nodes[0].jwt",
        /is missing; a multiTenancy node needs jwt/,
      );
      expectConfigError(
        () => parseNetworkConfig({ nodes: [node({ jwt: { publicKeyFile: "x.pem" } })] }),
        "nodes[0].jwt",
        /only used with multiTenancy: true/,
      );
    });

    it("a JWT key that is missing, not a key, or of the wrong family or curve", function () {
      const ws = workspace();
      ws.write("rsa.pem", RSA_PEM);
      ws.write("p256.pem", P256_PEM);
      ws.write("junk.pem", "not a key");
      const tenancy = (jwt: Record<string, unknown>) => () =>
        parseNetworkConfig({ nodes: [node({ multiTenancy: true, jwt })] }, { baseDir: ws.dir });
      const field = "nodes[0].jwt.publicKeyFile";
      expectConfigError(tenancy({ publicKeyFile: "absent.pem" }), field, /cannot read .*absent\.pem \(ENOENT\)/);
      expectConfigError(tenancy({}), field, /is missing/);
      expectConfigError(tenancy({ publicKeyFile: "junk.pem" }), field, /not a PEM public key/);
      expectConfigError(
        tenancy({ publicKeyFile: "rsa.pem", algorithm: "ES256" }),
        field,
        /rsa key but algorithm ES256 needs an EC key/,
      );
      expectConfigError(
        tenancy({ publicKeyFile: "p256.pem", algorithm: "RS512" }),
        field,
        /ec key but algorithm RS512 needs an RSA key/,
      );
      expectConfigError(
        tenancy({ publicKeyFile: "p256.pem", algorithm: "ES384" }),
        field,
        /prime256v1 but ES384 needs secp384r1/,
      );
      expectConfigError(
        tenancy({ publicKeyFile: "rsa.pem", algorithm: "HS256" }),
        "nodes[0].jwt.algorithm",
        /one of RS256/,
      );
    });

    it("a group genesis that is missing, unreadable, not JSON, or without the two accounts", function () {
      const ws = workspace();
      fs.mkdirSync(path.join(ws.dir, "folder"));
      ws.write("bad.json", "{");
      ws.write("only7b.json", JSON.stringify({ "0x000000000000000000000000000000000000007b": { code: "0x00" } }));
      ws.write(
        "empty7c.json",
        JSON.stringify({
          "0x000000000000000000000000000000000000007b": { code: "0x00" },
          "0x000000000000000000000000000000000000007c": { code: "0x" },
        }),
      );
      ws.write(
        "badslot.json",
        JSON.stringify({ "0x000000000000000000000000000000000000007b": { code: "0x00", storage: { "0x0": 1 } } }),
      );
      const genesis = (name: string) => () => parseNetworkConfig({ groupGenesis: name }, { baseDir: ws.dir });
      expectConfigError(genesis("absent.json"), "groupGenesis", /ENOENT/);
      expectConfigError(genesis("folder"), "groupGenesis", /EISDIR/);
      expectConfigError(genesis("bad.json"), "groupGenesis", /not valid JSON/);
      expectConfigError(genesis("only7b.json"), "groupGenesis", /no code at 0x0+7c/);
      expectConfigError(genesis("empty7c.json"), "groupGenesis", /no code at 0x0+7c/);
      expectConfigError(
        genesis("badslot.json"),
        'groupGenesis["0x000000000000000000000000000000000000007b"].storage["0x0"]',
        /must be a word/,
      );
    });

    describe("a group genesis with the shipped code that is still not the blob, unless marked custom", function () {
      for (const [name, { alloc, names }] of Object.entries(tamperedAllocs())) {
        it(name, function () {
          const ws = workspace();
          ws.write("alloc.json", JSON.stringify(alloc));
          const error = expectConfigError(
            () => parseNetworkConfig({ groupGenesis: "alloc.json" }, { baseDir: ws.dir }),
            "groupGenesis",
            /is not this package's blob \(genesis\/alloc\.json\)/,
          );
          expect(error.message).to.match(names);
          const custom = parseNetworkConfig({ groupGenesis: { file: "alloc.json", custom: true } }, { baseDir: ws.dir });
          expect(custom.groupGenesis).to.deep.equal(alloc);
          expect(custom.customGroupGenesis).to.equal(true);
        });
      }

      it("the object form needs custom: true and a file, and no other field", function () {
        const ws = workspace();
        ws.write("alloc.json", JSON.stringify(packageGroupGenesis()));
        const genesis = (value: unknown) => () => parseNetworkConfig({ groupGenesis: value }, { baseDir: ws.dir });
        expectConfigError(genesis({ file: "alloc.json" }), "groupGenesis.custom", /must be true .*got nothing/);
        expectConfigError(genesis({ file: "alloc.json", custom: false }), "groupGenesis.custom", /must be true/);
        expectConfigError(genesis({ custom: true }), "groupGenesis.file", /non-empty string, got nothing/);
        expectConfigError(genesis({ file: "alloc.json", custom: true, strict: 1 }), "groupGenesis.strict", /unknown field/);
      });

      it("startPrivacyNetwork refuses such a config, and starts it when customGroupGenesis is set", async function () {
        const { alloc, names } = tamperedAllocs()["a preset group header (another owner, locked)"];
        const config = { ...defaultNetworkConfig(), groupGenesis: alloc };
        for (const node of config.nodes) node.rpcPort = 0;
        let caught: unknown;
        await startPrivacyNetwork(config).then((network) => network.stop(), (error: unknown) => (caught = error));
        expect(caught).to.be.instanceOf(NetworkConfigError);
        expect((caught as Error).message).to.match(names).and.to.contain("customGroupGenesis: true");
        const network = await startPrivacyNetwork({ ...config, customGroupGenesis: true });
        await network.stop();
      });

      it("startPrivacyNetwork refuses the proxy under two keys, the tampered one first, which a file config cannot hold", async function () {
        const { alloc } = tamperedAllocs()["a preset group header (another owner, locked)"];
        const shipped = packageGroupGenesis();
        const proxy = Object.keys(shipped).find((address) => address.endsWith("7c"))!;
        const groupGenesis = { [proxy.replace(/7c$/, "7C")]: alloc[proxy], ...shipped };
        const config = { ...defaultNetworkConfig(), groupGenesis };
        for (const node of config.nodes) node.rpcPort = 0;
        let caught: unknown;
        await startPrivacyNetwork(config).then((network) => network.stop(), (error: unknown) => (caught = error));
        expect(caught).to.be.instanceOf(NetworkConfigError);
        expect((caught as Error).message).to.contain(`${proxy} account: expected listed once, found listed 2 times`);
      });
    });

    it("a config file that is missing or not JSON, naming the file", function () {
      const ws = workspace();
      expectConfigError(
        () => loadNetworkConfig(path.join(ws.dir, "nope.json")),
        "--config",
        /cannot read .*nope\.json \(ENOENT\)/,
      );
      const file = ws.write("broken.json", '{"chainId": 1,}');
      const error = expectConfigError(() => loadNetworkConfig(file), "", /not valid JSON/);
      expect(error.message.startsWith(file + ": ")).to.equal(true);
    });
  });
});
