import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compileForGenesis, currentBlob } from "../../src/hardhat/build";
import { GENESIS_DIR, readCommittedAlloc } from "../../src/hardhat/genesis-file";
import { copyGenesis } from "../../src/hardhat/genesis-copy";
import { GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../../src/core/constants";
import { BLOB_CONTRACTS, readSource } from "../../src/hardhat/sources";
import { driftReport, writeGenesis } from "../../src/hardhat/export";
import { UserError } from "../../src/hardhat/user-error";

const MISFITS = "contracts/test/GenesisMisfits.sol";

describe("the export", function () {
  // Each case compiles from source with solc-js, which takes a few seconds.
  this.timeout(300_000);

  it("builds the committed blob, and a comment edit does not change it", function () {
    const withComment = (name: string) =>
      readSource(name).replace("pragma solidity", "// an auditor's note, which must not move a byte\npragma solidity");
    const { contracts } = compileForGenesis(BLOB_CONTRACTS, withComment);
    const alloc = readCommittedAlloc();
    expect(contracts.management.runtime).to.equal(alloc[GROUP_MANAGEMENT_ADDRESS].code);
    expect(contracts.proxy.runtime).to.equal(alloc[GROUP_PROXY_ADDRESS].code);
  });

  it("builds the same blob and source hashes from a checkout with CRLF line ends", function () {
    const crlf = compileForGenesis(BLOB_CONTRACTS, (name) => readSource(name).replace(/\n/g, "\r\n"));
    const lf = currentBlob();
    expect(crlf.sourceHashes).to.deep.equal(lf.sourceHashes);
    expect(crlf.contracts.management.runtime).to.equal(lf.contracts.management.runtime);
    expect(crlf.contracts.proxy.runtime).to.equal(lf.contracts.proxy.runtime);
  });

  it("refuses a contract with immutables, which a genesis state would leave at zero", function () {
    expect(() => compileForGenesis({ misfit: { source: MISFITS, name: "WithImmutable" } })).to.throw(/has immutables/);
  });

  it("refuses a contract that needs a library linked", function () {
    expect(() => compileForGenesis({ misfit: { source: MISFITS, name: "WithLinkedLibrary" } })).to.throw(
      /links external libraries/,
    );
  });

  it("refuses code that compiles with a warning", function () {
    const withWarning = (name: string) =>
      name === BLOB_CONTRACTS.proxy.source
        ? readSource(name).replace(
            "function implementation() external view returns (address) {",
            "function implementation() external view returns (address) {\n        uint256 unused;",
          )
        : readSource(name);
    expect(() => compileForGenesis(BLOB_CONTRACTS, withWarning)).to.throw(
      /solc reported:[\s\S]*Warning: Unused local variable/,
    );
  });

  describe("--check", function () {
    let dir: string;
    const files = { "alloc.json": '{ "a": 1 }\n', "x.runtime.hex": `0x${"ab".repeat(64)}\n` };

    beforeEach(function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "genesis-"));
      for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    });
    afterEach(function () {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("reports nothing when the files match", function () {
      expect(driftReport(files, dir)).to.deep.equal([]);
    });

    it("shows a changed file as a unified diff, with long hex folded to the differing line", function () {
      const changed = { ...files, "x.runtime.hex": `0x${"ab".repeat(32)}${"cd".repeat(32)}\n` };
      const [report] = driftReport(changed, dir);
      expect(report).to.contain("--- committed/genesis/x.runtime.hex");
      expect(report).to.contain("+++ fresh/genesis/x.runtime.hex");
      expect(report).to.contain(`+${"cd".repeat(32)}`);
      expect(report).to.not.contain(`-0x${"ab".repeat(32)}\n`); // the unchanged first chunk is context
    });

    it("names missing files and files the export does not make", function () {
      fs.writeFileSync(path.join(dir, "stray.txt"), "hand-written\n");
      const reports = driftReport({ ...files, "manifest.json": "{}\n" }, dir);
      expect(reports).to.include("genesis/manifest.json is missing");
      expect(reports).to.include("genesis/stray.txt is not made by the export (the export removes it)");
    });

    it("names a JSON file that does not parse instead of diffing it", function () {
      fs.writeFileSync(path.join(dir, "alloc.json"), '{ "a": ');
      expect(driftReport(files, dir)).to.deep.equal(["genesis/alloc.json is not valid JSON"]);
    });

    it("the export removes a file it does not make, so that --check passes afterwards", function () {
      fs.writeFileSync(path.join(dir, "stray.txt"), "hand-written\n");
      fs.writeFileSync(path.join(dir, "alloc.json"), "stale\n");
      expect(writeGenesis(files, dir)).to.deep.equal({ written: Object.keys(files), removed: ["stray.txt"] });
      expect(fs.readdirSync(dir).sort()).to.deep.equal(Object.keys(files).sort());
      expect(driftReport(files, dir)).to.deep.equal([]);
    });

    it("outside the package's genesis/ (fpg:export --out), a file it does not make is refused and nothing is written", function () {
      fs.writeFileSync(path.join(dir, "genesis.json"), "the user's own\n");
      fs.writeFileSync(path.join(dir, "alloc.json"), "stale\n");
      const before = Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), "utf8")]));
      expect(() => writeGenesis(files, dir, { removeStray: false })).to.throw(UserError, /holds genesis\.json, which the export does not make; give --out an empty or new folder/);
      const after = Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), "utf8")]));
      expect(after).to.deep.equal(before);
    });

    it("writes a new folder for --out, and --check then passes on it", function () {
      const out = path.join(dir, "nested", "fpg");
      expect(writeGenesis(files, out, { removeStray: false }).removed).to.deep.equal([]);
      expect(driftReport(files, out)).to.deep.equal([]);
    });
  });
});

describe("fpg:genesis (copyGenesis): the shipped blob, copied", function () {
  let dir: string;
  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fpg-genesis-copy-"));
  });
  afterEach(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("copies every file of genesis/ byte for byte, and again over an identical copy", function () {
    const names = copyGenesis(dir);
    expect(names).to.deep.equal(fs.readdirSync(GENESIS_DIR).sort());
    for (const name of names) expect(fs.readFileSync(path.join(dir, name))).to.deep.equal(fs.readFileSync(path.join(GENESIS_DIR, name)));
    expect(copyGenesis(dir)).to.deep.equal(names);
  });

  it("refuses a folder holding one of its files with other content, and leaves every file there as it was", function () {
    fs.writeFileSync(path.join(dir, "alloc.json"), "{}\n");
    fs.writeFileSync(path.join(dir, "genesis.json"), "the user's own\n");
    expect(() => copyGenesis(dir)).to.throw(UserError, /already holds alloc\.json with other content; give --out an empty or new folder/);
    expect(fs.readdirSync(dir).sort()).to.deep.equal(["alloc.json", "genesis.json"]);
    expect(fs.readFileSync(path.join(dir, "alloc.json"), "utf8")).to.equal("{}\n");
  });
});
