import { task } from "hardhat/config";
import { withUserErrors } from "../src/hardhat/user-error";

task("fpg:bench", "Measures the gas of the blob built from the current source against Besu's figures; writes snapshots/gas.json")
  .addFlag("check", "Write nothing; fail when a goal is missed, snapshots/gas.json differs, or genesis/ is behind the source")
  .setAction(async ({ check }: { check: boolean }, hre) =>
    withUserErrors(async () => {
      // The bench uses the typed bindings, which the compile generates.
      await hre.run("compile", { quiet: true });
      const { bench } = await import("./bench");
      await bench(hre, { check });
    }),
  );
