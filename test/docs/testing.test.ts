import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../../src/hardhat/sources";

describe("docs/testing.md shows the example project as it is", function () {
  const page = fs.readFileSync(path.join(PACKAGE_ROOT, "docs", "testing.md"), "utf8");
  const shown = [...page.matchAll(/<!-- file: (\S+) -->\s*```\w*\n([\s\S]*?)```/g)].map((m) => ({ file: m[1], text: m[2] }));

  it("shows at least the config and one test", function () {
    expect(shown.map((block) => block.file)).to.include.members([
      "examples/hardhat2-project/hardhat.config.js",
      "examples/hardhat2-project/test/token.test.js",
    ]);
  });

  for (const file of ["examples/hardhat2-project/hardhat.config.js", "examples/hardhat2-project/test/token.test.js"]) {
    it(`${file}: the block on the page is the file, byte for byte (check:package runs the file)`, function () {
      const block = shown.find((candidate) => candidate.file === file);
      expect(block?.text).to.equal(fs.readFileSync(path.join(PACKAGE_ROOT, file), "utf8"));
    });
  }
});
