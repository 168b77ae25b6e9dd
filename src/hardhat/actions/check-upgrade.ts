import { withUserErrors } from "../user-error";

/**
 * fpg:check-upgrade, on either Hardhat: builds the project, then checks the candidate against the package's
 * blob on an in-process network (see ../upgrade-hosts for what each Hardhat gives).
 */
export default async function checkUpgradeAction({ contract }: { contract: string }, hre: unknown) {
  await withUserErrors(async () => {
    // Loaded here, not at config time: the check loads upgrades-core and the package's solc.
    const { checkUpgrade, formatReport } = await import("../upgrade-check");
    const { hardhat2Host, hardhat3Host, isHardhat2 } = await import("../upgrade-hosts");
    const host = isHardhat2(hre) ? await hardhat2Host(hre) : await hardhat3Host(hre as Parameters<typeof hardhat3Host>[0]);
    try {
      const report = await checkUpgrade(host, contract);
      console.log(formatReport(report));
      if (report.problems.length > 0) process.exitCode = 1;
    } finally {
      await host.close();
    }
  });
}
