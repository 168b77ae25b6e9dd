import { expect } from "chai";
import { execFileSync } from "node:child_process";
import path from "node:path";

describe("client: importing the SDK", () => {
  it("loads the Besu client but not the development network", function () {
    // A fresh process: this one has the network loaded by other suites.
    const loaded = execFileSync(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        "-e",
        `const sdk = require("./src");
         const files = Object.keys(require.cache).map((file) => file.split(require("path").sep).join("/"));
         console.log(JSON.stringify({ client: typeof sdk.PrivacyProvider, network: files.filter((file) => file.includes("/src/network/")) }));`,
      ],
      { cwd: path.join(__dirname, "..", ".."), encoding: "utf8" },
    );
    expect(JSON.parse(loaded)).to.deep.equal({ client: "function", network: [] });
  });
});
