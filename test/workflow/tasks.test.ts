import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { keccak256 } from "ethers";
import { GENESIS_DIR } from "../../scripts/export";
import { GenesisFileError, readJsonFile } from "../../scripts/lib/genesis-file";
import { HardforkSettingError, hardforkUnderTest, newestHardfork } from "../../scripts/lib/hardfork";
import { codesFromFile, compareWithManifest, readManifestHashes } from "../../scripts/verify";
import { hardhat, sh, type Run } from "../helpers/cli";
import { coverageRunning } from "../helpers/fixtures";

/** A stack trace line, which a refusal the user can act on must not print. */
const STACK_LINE = /^\s+at /m;

function expectOneLineRefusal(run: Run, status: number, ...mentions: string[]): void {
  expect(run.status, run.stdout + run.stderr).to.equal(status);
  for (const mention of mentions) expect(run.stderr).to.contain(mention);
  expect(run.stderr).to.not.match(STACK_LINE);
}

const MANIFEST = path.join(GENESIS_DIR, "manifest.json");
const manifest = () => readManifestHashes(MANIFEST);

describe("the Hardhat tasks and their errors", function () {
  this.timeout(300_000);
  let dir: string;
  before(function () {
    if (coverageRunning()) this.skip(); // tooling, not contracts; child processes would build uninstrumented code
  });
  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fpg-tasks-"));
  });
  afterEach(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of a genesis file in the temp directory, optionally edited. */
  const copy = (name: string, edit: (text: string) => string = (t) => t): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, edit(fs.readFileSync(path.join(GENESIS_DIR, name), "utf8")));
    return file;
  };
  /** Turns the first runtime's opening PUSH1 (0x60, how both runtimes begin) into PUSH2. */
  const flipFirstPush = (text: string) => text.replace(/(["x])60/, "$161");

  it("`npx hardhat --help` lists fpg:export, fpg:verify and fpg:bench", async function () {
    const help = await hardhat(["--help"]);
    expect(help.status).to.equal(0);
    for (const name of ["fpg:export", "fpg:verify", "fpg:bench"]) expect(help.stdout).to.match(new RegExp(`^\\s+${name}\\s`, "m"));
  });

  describe("FPG_HARDFORK", function () {
    it("takes a known hardfork or `newest`, and defaults to london", function () {
      expect(hardforkUnderTest({})).to.equal("london");
      expect(hardforkUnderTest({ FPG_HARDFORK: "cancun" })).to.equal("cancun");
      expect(hardforkUnderTest({ FPG_HARDFORK: "newest" })).to.equal(newestHardfork());
    });

    it("a bogus value is refused with the variable and the valid values, in one line, without a stack trace", async function () {
      expect(() => hardforkUnderTest({ FPG_HARDFORK: "bogus" })).to.throw(HardforkSettingError, /london, .*"newest"/);
      const run = await hardhat(["--help"], { FPG_HARDFORK: "bogus" });
      expectOneLineRefusal(run, 2, "FPG_HARDFORK=bogus", "london", "newest", "unset FPG_HARDFORK");
    });
  });

  describe("fpg:verify", function () {
    it("hashes alloc.json, Besu's Java file and a genesis file with un-prefixed keys, all matching the manifest", function () {
      const alloc = JSON.parse(fs.readFileSync(path.join(GENESIS_DIR, "alloc.json"), "utf8")) as Record<string, unknown>;
      const bare = Object.fromEntries(Object.entries(alloc).map(([address, account]) => [address.slice(2), account]));
      const genesis = path.join(dir, "genesis.json");
      fs.writeFileSync(genesis, JSON.stringify({ config: { chainId: 1337 }, alloc: bare }));
      for (const file of [path.join(GENESIS_DIR, "alloc.json"), path.join(GENESIS_DIR, "FlexibleGroupManagement.java"), genesis]) {
        const rows = compareWithManifest(codesFromFile(file), manifest());
        expect(rows.map((r) => [r.part, r.matches]), file).to.deep.equal([
          ["management", true],
          ["proxy", true],
        ]);
      }
    });

    it("a runtime .hex file is the contract it matches", function () {
      const file = path.join(GENESIS_DIR, "FlexiblePrivacyGroupProxy.runtime.hex");
      const rows = compareWithManifest(codesFromFile(file), manifest(), true);
      expect(rows).to.deep.equal([
        {
          part: "proxy",
          address: "0x000000000000000000000000000000000000007c",
          hash: keccak256(fs.readFileSync(file, "utf8").trim()),
          expected: manifest().proxy,
          matches: true,
        },
      ]);
    });

    it("a flipped code byte in Besu's Java file is a mismatch of that contract", function () {
      const file = copy("FlexibleGroupManagement.java", flipFirstPush);
      const rows = compareWithManifest(codesFromFile(file), manifest());
      expect(rows.map((r) => [r.part, r.matches])).to.deep.equal([
        ["management", false],
        ["proxy", true],
      ]);
    });

    it("exits 1 on a mismatch, printing the hashes and naming the file", async function () {
      const file = copy("alloc.json", flipFirstPush);
      const run = await hardhat(["fpg:verify", file]);
      expectOneLineRefusal(run, 1, `${file} is not the blob of genesis/manifest.json`);
      expect(run.stdout).to.match(/management .* MISMATCH: manifest says 0x[0-9a-f]{64}/);
      expect(run.stdout).to.match(/proxy .* 0x[0-9a-f]{64}\s+matches/);
    });

    it("names a file that is not JSON, with one error", async function () {
      const file = copy("alloc.json", (text) => text.slice(0, 77));
      expect(() => codesFromFile(file)).to.throw(GenesisFileError, `${file} is not valid JSON`);
      const run = await hardhat(["fpg:verify", file]);
      expectOneLineRefusal(run, 1, `${file} is not valid JSON`);
      expect(run.stderr.trim().split("\n")).to.have.length(1);
    });

    it("refuses no source, and two sources, saying what to give", async function () {
      expectOneLineRefusal(await hardhat(["fpg:verify"]), 1, "give either a file or --rpc <url>");
      expectOneLineRefusal(await hardhat(["fpg:verify", "genesis/alloc.json", "--rpc", "http://127.0.0.1:9"]), 1, "give either");
    });

    it("names an --rpc URL where nothing answers", async function () {
      expectOneLineRefusal(await hardhat(["fpg:verify", "--rpc", "http://127.0.0.1:9"]), 1, "--rpc http://127.0.0.1:9: no JSON-RPC answer");
    });
  });

  it("readJsonFile names the file and says what to do, instead of a bare SyntaxError", function () {
    const file = path.join(dir, "alloc.json");
    fs.writeFileSync(file, "{ not json");
    expect(() => readJsonFile(file, "run `npm run export` to rewrite it")).to.throw(
      GenesisFileError,
      new RegExp(`^${file} is not valid JSON \\(.*\\); run \`npm run export\` to rewrite it$`),
    );
  });

  it("fpg:bench refuses another hardfork than the gas anchor's, naming FPG_HARDFORK", async function () {
    const run = await hardhat(["fpg:bench", "--check"], { FPG_HARDFORK: "newest" });
    expectOneLineRefusal(run, 1, "the bench measures on the in-process network at london", "unset FPG_HARDFORK");
  });

  it("check:package before `npm run build` says to run it", async function () {
    const run = await sh(`"${process.execPath}" scripts/check-package.mjs`, { FPG_DIST_DIR: dir });
    expectOneLineRefusal(run, 1, "is not built (no src/index.js or abi/ in it): run `npm run build` first");
  });

  it("npm test -- <file> runs only that file, and names a file that does not exist", async function () {
    const node = process.execPath;
    const one = await sh(`"${node}" scripts/test.mjs test/sdk/ids.test.ts`);
    expect(one.status, one.stderr).to.equal(0);
    expect(one.stdout).to.match(/^\s+\d+ passing/m);
    expect(one.stdout).to.not.contain("genesis injection");
    expect(one.stdout).to.contain("none of the given files runs again at the newest hardfork");
    expectOneLineRefusal(await sh(`"${node}" scripts/test.mjs test/nope.test.ts`), 2, "no such test file test/nope.test.ts");
  });
});
