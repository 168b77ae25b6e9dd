import { expect } from "chai";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { getAddress, zeroPadValue } from "ethers";
import hre from "hardhat";
import { GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../../src/core/constants";
import { injectAlloc, makeAlloc } from "../../src/hardhat/alloc";
import { currentBlob } from "../../src/hardhat/build";
import { PACKAGE_ROOT } from "../../src/hardhat/sources";
import { FlexiblePrivacyGroupManagement__factory } from "../../typechain-types";

import { freePort, hardhat, rpc, sh, startHardhatNode } from "../helpers/cli";
import { coverageRunning } from "../helpers/fixtures";

/** The Ignition commands of docs/custom-management.md, exactly as written there. */
function readmeDeployCommands(): string[] {
  const readme = fs.readFileSync(path.join(PACKAGE_ROOT, "docs", "custom-management.md"), "utf8");
  return [...readme.matchAll(/^(npx hardhat ignition deploy .+?)(?:\s+#.*)?$/gm)].map((m) => m[1].trim());
}

describe("the deploy commands of docs/custom-management.md and fpg:verify --rpc, against `npx hardhat node`", function () {
  this.timeout(600_000);
  let node: ChildProcess;
  let url: string;

  before(async function () {
    if (coverageRunning()) this.skip(); // tooling, not contracts; child processes would build uninstrumented code
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    node = await startHardhatNode(port);
  });
  after(function () {
    node?.kill();
  });

  /** Code and the proxy's slot 0 at 0x…7b/0x…7c, as Besu injects them. */
  const place = (code: { management: string; proxy: string }) =>
    injectAlloc({ send: (method, params) => rpc(url, method, params) }, makeAlloc(code.management, code.proxy));

  const run = async (command: string) => {
    const result = await sh(command, { FPG_LOCALHOST_URL: url });
    expect(result.status, `${command}\n${result.stdout}\n${result.stderr}`).to.equal(0);
    return result.stdout;
  };

  it("deploys the group with the example parameters, and then the upgrade target", async function () {
    const commands = readmeDeployCommands();
    const [deployGroup, deployUpgrade] = [
      commands.find((c) => c.includes("FlexiblePrivacyGroup.ts")),
      commands.find((c) => c.includes("ManagementUpgrade.ts")),
    ];
    expect(deployGroup, "the page shows the group deployment").to.be.a("string");
    expect(deployUpgrade, "the page shows the upgrade deployment").to.be.a("string");

    const groupOutput = await run(deployGroup as string);
    const proxyAddress = /FlexiblePrivacyGroup#FlexiblePrivacyGroupProxy - (0x[0-9a-fA-F]{40})/.exec(groupOutput)?.[1];
    expect(proxyAddress, groupOutput).to.be.a("string");
    const parameters = JSON.parse(
      fs.readFileSync(path.join(PACKAGE_ROOT, "ignition", "parameters", "FlexiblePrivacyGroup.json"), "utf8"),
    ) as { FlexiblePrivacyGroup: { participants: string[] } };
    const management = FlexiblePrivacyGroupManagement__factory.createInterface();
    const answer = await rpc(url, "eth_call", [
      { to: proxyAddress, data: management.encodeFunctionData("getParticipants") },
      "latest",
    ]);
    const [participants] = management.decodeFunctionResult("getParticipants", answer as string);
    expect([...participants]).to.deep.equal(parameters.FlexiblePrivacyGroup.participants);

    const upgradeOutput = await run(deployUpgrade as string);
    const target = /ManagementUpgrade#FlexiblePrivacyGroupManagementV2 - (0x[0-9a-fA-F]{40})/.exec(upgradeOutput)?.[1];
    expect(target, upgradeOutput).to.be.a("string");
    expect(await rpc(url, "eth_getCode", [target, "latest"])).to.equal(
      (await hre.artifacts.readArtifact("FlexiblePrivacyGroupManagementV2")).deployedBytecode,
    );
  });

  it("fpg:verify --rpc reads 0x…7b and 0x…7c from the node: the blob passes, one flipped byte fails", async function () {
    const { management, proxy } = currentBlob().contracts;
    await place({ management: management.runtime, proxy: proxy.runtime });
    const good = await hardhat(["fpg:verify", "--rpc", url]);
    expect(good.status, good.stderr).to.equal(0);
    expect(good.stdout).to.contain(hre.ethers.keccak256(management.runtime));

    const flippedByte = proxy.runtime.endsWith("00") ? "01" : "00";
    await place({ management: management.runtime, proxy: `${proxy.runtime.slice(0, -2)}${flippedByte}` });
    const flipped = await hardhat(["fpg:verify", "--rpc", url]);
    expect(flipped.status).to.equal(1);
    expect(flipped.stdout).to.match(/proxy .* MISMATCH: manifest says 0x[0-9a-f]{64}/);
    expect(flipped.stderr).to.contain(`--rpc ${url} is not the blob of genesis/manifest.json`);
  });

  it("fpg:verify --rpc reads the proxy's slot 0: the blob's code behind another implementation fails, naming it", async function () {
    const { management, proxy } = currentBlob().contracts;
    await place({ management: management.runtime, proxy: proxy.runtime });
    const other = "0x" + "cd".repeat(20);
    await rpc(url, "hardhat_setCode", [getAddress(other), management.runtime]);
    await rpc(url, "hardhat_setStorageAt", [getAddress(GROUP_PROXY_ADDRESS), "0x0", zeroPadValue(other, 32)]);
    const upgraded = await hardhat(["fpg:verify", "--rpc", url]);
    expect(upgraded.status, upgraded.stdout + upgraded.stderr).to.equal(1);
    expect(upgraded.stdout).to.match(/management .* matches\nproxy .* matches/);
    expect(upgraded.stdout).to.contain(
      `MISMATCH: ${GROUP_PROXY_ADDRESS} storage slot 0: expected ${GROUP_MANAGEMENT_ADDRESS}, found ${other}: the proxy was upgraded ` +
        "to another implementation (a copy of the shipped management code)",
    );
    expect(upgraded.stderr).to.contain(`--rpc ${url} is not the blob of genesis/manifest.json`);
  });
});
