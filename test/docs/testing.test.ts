import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../../src/hardhat/sources";
import { NOT_NETWORK_PEERS } from "../../src/network/peers";

describe("docs/testing.md shows the example project as it is", function () {
  const page = fs.readFileSync(path.join(PACKAGE_ROOT, "docs", "testing.md"), "utf8");
  const shown = [...page.matchAll(/<!-- file: (\S+) -->\s*```\w*\n([\s\S]*?)```/g)].map((m) => ({
    file: m[1],
    text: m[2],
  }));

  const projectFiles = [
    "examples/hardhat2-project/hardhat.config.js",
    "examples/hardhat2-project/test/token.test.js",
    "examples/hardhat3-project/hardhat.config.ts",
    "examples/hardhat3-project/test/token.test.ts",
  ];

  it("shows the config and one test of each Hardhat's project", function () {
    expect(shown.map((block) => block.file)).to.include.members(projectFiles);
  });

  for (const file of projectFiles) {
    it(`${file}: the block on the page is the file, byte for byte (check:package runs the file)`, function () {
      const block = shown.find((candidate) => candidate.file === file);
      expect(block?.text).to.equal(fs.readFileSync(path.join(PACKAGE_ROOT, file), "utf8"));
    });
  }

  // Hardhat 3 and its toolbox are not this repository's (it builds on Hardhat 2): check:package installs the
  // versions the page names. Hardhat 3 brings the network's EDR; both toolboxes bring its ethers.
  const sections = [
    { heading: "Hardhat 2", ownVersions: [] as string[], notInstalled: [...NOT_NETWORK_PEERS, "ethers"] },
    {
      heading: "Hardhat 3",
      ownVersions: ["hardhat", "@nomicfoundation/hardhat-toolbox-mocha-ethers"],
      notInstalled: [...NOT_NETWORK_PEERS, "ethers", "@nomicfoundation/edr"],
    },
  ];
  for (const { heading, ownVersions, notInstalled } of sections)
    describe(`the ${heading} install steps`, function () {
      const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
        peerDependencies: Record<string, string>;
      };
      const section = page.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? "";
      const steps = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
      // `name@version` words, with bash's brace expansion of `@scope/{a,b}@v` done by hand.
      const installed = new Map<string, string>();
      for (const word of steps.split(/\s+/)) {
        const match = /^(@?[^@\s]+)@(\S+)$/.exec(word);
        if (match === null) continue;
        const braces = /^(.*)\{([^}]+)\}(.*)$/.exec(match[1]);
        const names =
          braces === null ? [match[1]] : braces[2].split(",").map((part) => `${braces[1]}${part}${braces[3]}`);
        for (const name of names) installed.set(name, match[2]);
      }

      it("pins the versions this repository tests", function () {
        expect(installed.size).to.be.greaterThan(5);
        for (const [name, version] of installed) {
          if (ownVersions.includes(name)) continue;
          const tested = pkg.devDependencies[name] ?? pkg.dependencies[name];
          expect(tested, `${name} is not a dependency of this repository`).to.be.a("string");
          // An exact version must be the tested one; a major alone must be the tested one's major.
          if (/^\d+$/.test(version)) expect(tested.split(".")[0], name).to.equal(version);
          else expect(version, name).to.equal(tested);
        }
      });

      it("installs every peer the development network loads", function () {
        // Left out: what the network does not load, its ethers (the toolbox brings it); on Hardhat 3 also EDR
        // (Hardhat's own).
        const networkPeers = Object.keys(pkg.peerDependencies).filter((name) => !notInstalled.includes(name));
        expect([...installed.keys()]).to.include.members(networkPeers);
      });
    });
});
