import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../../src/hardhat/sources";

/** The Markdown pages a reader follows links between. */
function pages(): string[] {
  const docs = fs.readdirSync(path.join(PACKAGE_ROOT, "docs")).filter((name) => name.endsWith(".md"));
  return ["README.md", "CHANGELOG.md", "SECURITY.md", ...docs.map((name) => path.join("docs", name))];
}

/** Text outside fenced code blocks, where a `[x](y)` is code, not a link. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, "");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

function anchorsOf(file: string): Set<string> {
  const headings = [...prose(fs.readFileSync(file, "utf8")).matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1]));
  return new Set(headings);
}

describe("the documentation's links", function () {
  it("README.md stays a page: at most 200 lines", function () {
    const lines = fs.readFileSync(path.join(PACKAGE_ROOT, "README.md"), "utf8").split("\n").length;
    expect(lines).to.be.at.most(200);
  });

  for (const page of pages()) {
    it(`every relative link of ${page} resolves, to a file and, with #, to a heading there`, function () {
      const text = prose(fs.readFileSync(path.join(PACKAGE_ROOT, page), "utf8"));
      const broken: string[] = [];
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue; // http:, https:, mailto:
        const [file, hash] = target.split("#");
        const resolved = file === "" ? path.join(PACKAGE_ROOT, page) : path.resolve(path.dirname(path.join(PACKAGE_ROOT, page)), file);
        if (!fs.existsSync(resolved)) broken.push(`${target} (no such file)`);
        else if (hash !== undefined && resolved.endsWith(".md") && !anchorsOf(resolved).has(hash)) {
          broken.push(`${target} (no such heading)`);
        }
      }
      expect(broken, `broken links in ${page}`).to.deep.equal([]);
    });
  }
});
