import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrivacyHelpers } from "../../src/hardhat/privacy";
import { PrivacyPluginError, privacyOptions } from "../../src/hardhat/privacy-config";
import { NetworkConfigError } from "../../src/network/config";

describe("the Hardhat config's privacy options", function () {
  let dir: string;
  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fpg-privacy-options-"));
  });
  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("none: the default network", function () {
    expect(privacyOptions(undefined, dir)).to.deep.equal({});
    expect(privacyOptions({}, dir)).to.deep.equal({});
  });

  it("refuses what is not an object, an unknown option, and a networkConfig that is not a file name, naming each", function () {
    expect(() => privacyOptions("net.json", dir)).to.throw(PrivacyPluginError, /privacy must be an object such as \{ networkConfig/);
    expect(() => privacyOptions({ nodes: 5, networkConfig: "a.json" }, dir)).to.throw(PrivacyPluginError, /has no option "nodes"; the one option is networkConfig/);
    expect(() => privacyOptions({ networkConfig: 7 }, dir)).to.throw(PrivacyPluginError, /privacy\.networkConfig must be a file name, got 7/);
  });

  it("networkConfig: the file is read, relative to the project, when the network starts; a bad file is the network's named error", async function () {
    fs.writeFileSync(path.join(dir, "net.json"), JSON.stringify({ nodes: [{ name: "solo", rpcPort: 0, enclaveKeys: ["not a key"] }] }));
    const helpers = new PrivacyHelpers(privacyOptions({ networkConfig: "net.json" }, dir));
    let thrown: unknown;
    try {
      await helpers.network();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(NetworkConfigError);
    expect((thrown as Error).message).to.match(/net\.json.*nodes\[0\]\.enclaveKeys\[0\]/);
    await helpers.stop();
  });

  it("networkConfig: a one-node network from the file gives one signer, at that node", async function () {
    const key = "A1aVtMxLCUHmBVHXoZzzBgPbW/wj5axDpW9X8l91SGo=";
    fs.writeFileSync(path.join(dir, "solo.json"), JSON.stringify({ nodes: [{ name: "solo", rpcPort: 0, enclaveKeys: [key] }] }));
    const helpers = new PrivacyHelpers(privacyOptions({ networkConfig: "solo.json" }, dir));
    try {
      const signers = await helpers.signers();
      expect(signers.map((signer) => signer.enclaveKey)).to.deep.equal([key]);
      expect(Number((await signers[0].provider.getNetwork()).chainId)).to.be.greaterThan(0);
    } finally {
      await helpers.stop();
    }
  });
});
