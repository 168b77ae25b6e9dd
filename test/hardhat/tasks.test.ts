import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { keccak256 } from "ethers";
import { GENESIS_DIR } from "../../src/hardhat/export";
import { GenesisFileError, readJsonFile } from "../../src/hardhat/genesis-file";
import { HardforkSettingError, hardforkUnderTest, newestHardfork } from "../../scripts/lib/hardfork";
import { readCommittedAlloc } from "../../src/hardhat/genesis-file";
import { UserError } from "../../src/hardhat/user-error";
import {
  blobFromFile,
  codesFromFile,
  compareWithManifest,
  fileProblems,
  readManifestHashes,
  stripJavaComments,
} from "../../src/hardhat/verify";
import { tamperedAllocs } from "../helpers/blob";
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

    describe("an alloc is the blob only in every field", function () {
      for (const [name, { alloc, names }] of Object.entries(tamperedAllocs())) {
        it(`${name}: the code matches, the alloc does not, and the difference is named`, function () {
          const file = path.join(dir, "alloc.json");
          fs.writeFileSync(file, JSON.stringify(alloc));
          const found = blobFromFile(file);
          expect(compareWithManifest(found.codes, manifest()).every((row) => row.matches)).to.equal(true);
          const problems = fileProblems(found, readCommittedAlloc());
          expect(problems.join("\n")).to.match(names);
        });
      }

      it("exits 1 naming each difference, although both code hashes match", async function () {
        const file = path.join(dir, "alloc.json");
        fs.writeFileSync(file, JSON.stringify(tamperedAllocs()["proxy slot 0 pointing at another address"].alloc));
        const run = await hardhat(["fpg:verify", file]);
        expectOneLineRefusal(run, 1, `${file} is not the blob of genesis/manifest.json`);
        expect(run.stdout).to.match(/^MISMATCH: 0x0+7c storage\[0x0\]: expected 0x7b, found 0x(ab){20}$/m);
      });

      it("the shipped alloc has no differences, in a genesis file with un-prefixed keys too", function () {
        expect(fileProblems(blobFromFile(path.join(GENESIS_DIR, "alloc.json")), readCommittedAlloc())).to.deep.equal([]);
        const bare = Object.fromEntries(Object.entries(readCommittedAlloc()).map(([a, account]) => [a.slice(2), account]));
        const genesis = path.join(dir, "genesis.json");
        fs.writeFileSync(genesis, JSON.stringify({ config: { chainId: 1337 }, alloc: bare }));
        expect(fileProblems(blobFromFile(genesis), readCommittedAlloc())).to.deep.equal([]);
      });
    });

    describe("Besu's Java file: each constant defined once, outside comments, as hex literals", function () {
      const MANAGEMENT = "DEFAULT_GROUP_MANAGEMENT_RUNTIME_BYTECODE";
      const PROXY = "PROXY_RUNTIME_BYTECODE";
      /** The statement `  public static final Bytes NAME =\n      Bytes.fromHexString("…");` of the shipped file. */
      const statement = (text: string, constant: string): string =>
        new RegExp(`  public static final Bytes ${constant} =\\s*Bytes\\.fromHexString\\("[0-9a-f]*"\\);`).exec(text)![0];
      const refusal = (edit: (text: string) => string): string => {
        const file = copy("FlexibleGroupManagement.java", edit);
        try {
          codesFromFile(file);
        } catch (error) {
          expect(error).to.be.instanceOf(UserError);
          return (error as Error).message;
        }
        return expect.fail("expected a refusal");
      };

      for (const [kind, comment] of [
        ["//", (code: string) => `// ${code}`],
        ["/* */", (code: string) => `/* ${code} */`],
      ] as const) {
        it(`other code with the shipped definition in a ${kind} comment after it is the other code`, function () {
          const file = copy("FlexibleGroupManagement.java", (text) => {
            const shipped = statement(text, MANAGEMENT);
            return text.replace(shipped, `${flipFirstPush(shipped)} ${comment(shipped.trim())}`);
          });
          const rows = compareWithManifest(codesFromFile(file), manifest());
          expect(rows.map((r) => [r.part, r.matches])).to.deep.equal([
            ["management", false],
            ["proxy", true],
          ]);
        });
      }

      it("two definitions of a constant are refused, naming both lines", function () {
        const message = refusal((text) => text.replace(statement(text, PROXY), `${statement(text, PROXY)}\n${statement(text, PROXY)}`));
        expect(message).to.match(new RegExp(`defines ${PROXY} 2 times \\(lines \\d+, \\d+\\)`));
      });

      it("no definition of a constant, or one only in a comment, is refused", function () {
        expect(refusal((text) => text.replace(statement(text, PROXY), ""))).to.contain(`defines no ${PROXY} outside comments`);
        const commented = refusal((text) => text.replace(statement(text, PROXY), `/*${statement(text, PROXY)}*/`));
        expect(commented).to.contain(`defines no ${PROXY} outside comments`);
      });

      it("a definition that is not a hex literal is refused", function () {
        const message = refusal((text) =>
          text.replace(statement(text, MANAGEMENT), `  public static final Bytes ${MANAGEMENT} = Bytes.fromHexString(OTHER);`),
        );
        expect(message).to.match(new RegExp(`${MANAGEMENT} \\(line \\d+\\) is not Bytes\\.fromHexString`));
      });

      it("a text block is a literal: a comment marker in one hides no code, a definition in one is text", function () {
        const file = copy("FlexibleGroupManagement.java", (text) => {
          const shipped = statement(text, MANAGEMENT);
          const block = (lines: string) => `  static final String DOC${lines.length} = """\n${lines}\n      """;`;
          return text.replace(shipped, [block("      /*"), flipFirstPush(shipped), block(`      */\n${shipped.trim()}`)].join("\n"));
        });
        const rows = compareWithManifest(codesFromFile(file), manifest());
        expect(rows.map((r) => [r.part, r.matches])).to.deep.equal([
          ["management", false],
          ["proxy", true],
        ]);
      });

      it("a Unicode escape is refused, naming its line, since javac reads it before comments and names", function () {
        const message = refusal((text) => {
          const shipped = statement(text, PROXY);
          const other = flipFirstPush(shipped).replace(`${PROXY} =`, `${PROXY.slice(0, -1)}\\u0045 =`);
          return text.replace(shipped, `${other}\n  static final String DOC = """\n${shipped.trim()}\n      """;`);
        });
        expect(message).to.match(/has a Unicode escape \(\\u…\) at line \d+, which javac reads before comments and names/);
        expect(refusal((text) => `// \\u000a ${statement(text, PROXY).trim()}\n${text}`)).to.contain("Unicode escape (\\u…) at line 1,");
        const escapedBackslash = copy("FlexibleGroupManagement.java", (text) => `${text}\n// "\\\\u0045" is a backslash and u0045\n`);
        expect(compareWithManifest(codesFromFile(escapedBackslash), manifest()).every((r) => r.matches)).to.equal(true);
      });

      it("comment markers inside string and char literals are text; line numbers hold", function () {
        const java = 'String a = "// x /* y"; char c = \'"\'; // gone\n/* also\ngone */ int b = 1;';
        expect(stripJavaComments(java)).to.equal('String a = "// x /* y"; char c = \'"\';        \n       \n        int b = 1;');
        const block = 'String t = """\n  // kept "quote\\""" */\n  """; // gone';
        expect(stripJavaComments(block)).to.equal('String t = """\n  // kept "quote\\""" */\n  """;        ');
      });
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
    const one = await sh(`"${node}" scripts/test.mjs test/core/ids.test.ts`);
    expect(one.status, one.stderr).to.equal(0);
    expect(one.stdout).to.match(/^\s+\d+ passing/m);
    expect(one.stdout).to.not.contain("genesis injection");
    expect(one.stdout).to.contain("none of the given files runs again at the newest hardfork");
    expectOneLineRefusal(await sh(`"${node}" scripts/test.mjs test/nope.test.ts`), 2, "no such test file test/nope.test.ts");
  });
});
