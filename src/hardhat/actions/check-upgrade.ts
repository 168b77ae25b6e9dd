import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { UserError, withUserErrors } from "../user-error";

/**
 * fpg:check-upgrade. Hardhat 2 only: the check reads the default management contract's build info
 * (hre.artifacts.getBuildInfo) and runs the proxy on the in-process network (hre.network.provider), and
 * Hardhat 3 has neither (its build info is split in two files and its networks are connections).
 */
export default async function checkUpgradeAction({ contract }: { contract: string }, hre: HardhatRuntimeEnvironment) {
  if (typeof (hre as Partial<HardhatRuntimeEnvironment>).run !== "function") {
    return withUserErrors(async () => {
      throw new UserError("fpg:check-upgrade runs on Hardhat 2 only; run it in a Hardhat 2 project (as this package's repository is)");
    });
  }
  await hre.run("compile", { quiet: true });
  // Loaded here, not at config time: the check needs the compiled typechain-free artifacts only.
  const { checkUpgrade, formatReport } = await import("../upgrade-check");
  const report = await checkUpgrade(hre, contract);
  console.log(formatReport(report));
  if (report.problems.length > 0) process.exitCode = 1;
}
