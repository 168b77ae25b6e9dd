import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect } from "chai";
import hre from "hardhat";
import { type ProblemKind, type UpgradeCheckHost, checkUpgrade } from "../../src/hardhat/upgrade-check";
import { hardhat2Host } from "../../src/hardhat/upgrade-hosts";
import { PACKAGE_ROOT } from "../../src/hardhat/sources";
import { coverageRunning } from "../helpers/fixtures";

/** The problem kinds the check reports for `contract`, and the messages, one string. */
let host: Promise<UpgradeCheckHost> | undefined;
async function verdict(contract: string): Promise<{ kinds: Set<ProblemKind>; text: string }> {
  host ??= hardhat2Host(hre);
  const { problems } = await checkUpgrade(await host, contract);
  return { kinds: new Set(problems.map((p) => p.kind)), text: problems.map((p) => p.message).join("\n") };
}

describe("the upgrade check (npx hardhat fpg:check-upgrade <Contract>)", function () {
  for (const good of [
    "SecondAdminManagement",
    "AllowListManagement",
    "FlexiblePrivacyGroupManagementV2",
    "FlexiblePrivacyGroupManagement",
  ]) {
    it(`passes ${good}`, async function () {
      const { kinds, text } = await verdict(good);
      expect([...kinds], text).to.deep.equal([]);
    });
  }

  it("refuses the bricking contract: a state variable at slot 0 and a setter that overwrites it", async function () {
    const { kinds, text } = await verdict("BrickingManagement");
    expect([...kinds].sort()).to.deep.equal(["storage-outside-namespace", "writes-slot-0"]);
    expect(text).to.include("`secondAdmin`").and.to.include("slot 0").and.to.include("setSecondAdmin(address)");
  });

  it("refuses assembly that writes slot 0, found in the source and by calling it", async function () {
    const { kinds, text } = await verdict("AssemblySlotZero");
    expect([...kinds]).to.deep.equal(["writes-slot-0"]);
    expect(text).to.include("sstore(0").and.to.include("clearSlotZero()");
  });

  it("refuses a contract whose namespace clashes with the default layout, and names the missing functions", async function () {
    const { kinds, text } = await verdict("ClashingNamespace");
    expect([...kinds].sort()).to.deep.equal(["layout-incompatible", "missing-interface"]);
    expect(text).to.include("Deleted `group`").and.to.include("addParticipants(bytes[])");
  });

  it("refuses a contract without the management interface", async function () {
    const { kinds, text } = await verdict("ERC165Only");
    expect(kinds.has("missing-interface")).to.equal(true);
    expect(text).to.include("getParticipants()");
  });

  it("refuses what the proxy refuses, naming the proxy's error", async function () {
    const { kinds, text } = await verdict("NoUpgradeAfterwards");
    expect([...kinds]).to.deep.equal(["proxy-refused"]);
    expect(text).to.include("ProxyImplementationUnusable");
  });

  it("as a Hardhat task, exits non-zero and names the problems, or exits 0 for a good contract", async function () {
    // The task compiles in a child process, which must not overwrite coverage's instrumented artifacts.
    if (coverageRunning()) this.skip();
    this.timeout(300_000);
    const run = (contract: string) =>
      promisify(execFile)("npx", ["hardhat", "fpg:check-upgrade", contract], { cwd: PACKAGE_ROOT }).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
    const bad = await run("BrickingManagement");
    expect(bad.code).to.equal(1);
    expect(bad.stdout).to.include("NOT safe").and.to.include("secondAdmin");
    const good = await run("SecondAdminManagement");
    expect(good.code, good.stdout).to.equal(0);
  });
});
