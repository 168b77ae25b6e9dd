import { expect } from "chai";
import { GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../../src/core/constants";
import type { FlexiblePrivacyGroup } from "../../src";
import { FlexiblePrivacyGroupManagementV2__factory } from "../../typechain-types";
import { type ClientNetwork, createGroup, startClientNetwork } from "../helpers/client-network";
import { hardhat } from "../helpers/cli";
import { coverageRunning } from "../helpers/fixtures";

describe("fpg:verify --rpc --privacy-group-id, against the development network", function () {
  this.timeout(300_000);
  let net: ClientNetwork;
  let group: FlexiblePrivacyGroup;
  const verify = () => hardhat(["fpg:verify", "--rpc", net.network.nodes[0].url, "--privacy-group-id", group.privacyGroupId]);

  before(async function () {
    if (coverageRunning()) this.skip(); // tooling, not contracts; child processes would build uninstrumented code
    net = await startClientNetwork();
    group = await createGroup(net);
  });
  after(async () => net?.stop());

  it("a new group is the blob: code and the proxy's implementation()", async function () {
    const run = await verify();
    expect(run.status, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.contain("is the blob of genesis/manifest.json");
  });

  it("the same group upgraded to another implementation fails, saying so, although 0x…7b and 0x…7c keep their code", async function () {
    const v2 = await group.deployManagement(new FlexiblePrivacyGroupManagementV2__factory());
    const implementation = (await v2.getAddress()).toLowerCase();
    const run = await verify();
    expect(run.status, run.stdout + run.stderr).to.equal(1);
    expect(run.stdout).to.match(/management .* matches\nproxy .* matches/);
    expect(run.stdout).to.contain(
      `MISMATCH: ${GROUP_PROXY_ADDRESS} implementation(): expected ${GROUP_MANAGEMENT_ADDRESS}, found ${implementation}: ` +
        "the proxy was upgraded to another implementation (not the shipped management code)",
    );
    expect(run.stderr).to.contain("is not the blob of genesis/manifest.json");
  });
});
