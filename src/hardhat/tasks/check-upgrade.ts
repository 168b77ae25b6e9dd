import { task, types } from "hardhat/config";

task("fpg:check-upgrade", "Checks that a custom management contract is safe to upgrade a group to")
  .addPositionalParam("contract", "The candidate: a contract name or source:Name", undefined, types.string)
  .setAction(async ({ contract }: { contract: string }, hre) => {
    await hre.run("compile", { quiet: true });
    // Loaded here, not at config time: the check needs the compiled typechain-free artifacts only.
    const { checkUpgrade, formatReport } = await import("../upgrade-check");
    const report = await checkUpgrade(hre, contract);
    console.log(formatReport(report));
    if (report.problems.length > 0) process.exitCode = 1;
  });
