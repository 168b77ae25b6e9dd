import { task, types } from "hardhat/config";

/**
 * `npx hardhat privacy-node`: the same network as `npm run node`. Hardhat owns `--config` and `--help`
 * (global flags), so the config file is `--network-config` here and help is `npx hardhat help privacy-node`.
 */
task("privacy-node", "Runs the local flexible-privacy development network (Besu 25.5 privacy API) until Ctrl-C")
  .addOptionalParam("networkConfig", "JSON network configuration file", undefined, types.inputFile)
  .addOptionalParam("host", "address every node binds (default 127.0.0.1)", undefined, types.string)
  .setAction(async ({ networkConfig, host }: { networkConfig?: string; host?: string }) => {
    // Loaded on use: every other Hardhat command stays free of the network's engine.
    const { run, stopOnSignals } = await import("../src/network/cli");
    const argv = [
      ...(networkConfig === undefined ? [] : ["--config", networkConfig]),
      ...(host === undefined ? [] : ["--host", host]),
    ];
    const outcome = await run(argv);
    if (typeof outcome === "number") process.exit(outcome);
    stopOnSignals(outcome);
    await new Promise<never>(() => undefined);
  });
