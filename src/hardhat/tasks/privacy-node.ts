import { task, types } from "hardhat/config";

/**
 * `npx hardhat privacy-node`: the same network as `npm run node`. Hardhat owns `--config` and `--help`
 * (global flags), so the config file is `--network-config` here and help is `npx hardhat help privacy-node`.
 */
task("privacy-node", "Runs the local flexible-privacy development network (Besu 25.5 privacy API) until Ctrl-C")
  .addOptionalParam("networkConfig", "JSON network configuration file", undefined, types.inputFile)
  .addOptionalParam("host", "address every node binds (default 127.0.0.1)", undefined, types.string)
  // Hardhat names these --private-gas-cap, --private-timeout-ms and --max-expensive-per-batch, as fpg-node does.
  .addOptionalParam("privateGasCap", "gas of every private execution (default the block gas limit)", undefined, types.string)
  .addOptionalParam("privateTimeoutMs", "wall-clock budget of every private execution (default 5000)", undefined, types.string)
  .addOptionalParam("maxExpensivePerBatch", "expensive methods one JSON-RPC batch may hold (default 16)", undefined, types.string)
  .addOptionalParam("maxTokenAge", "seconds: multi-tenancy nodes refuse a token whose iat is older, or missing", undefined, types.string)
  .setAction(async ({ networkConfig, host, maxTokenAge, ...limits }: Record<string, string | undefined>) => {
    // Loaded on use: every other Hardhat command stays free of the network's engine.
    const { run, stopOnSignals } = await import("../../network/cli");
    const { LIMITS } = await import("../../network/config");
    const argv = [
      ...(networkConfig === undefined ? [] : ["--config", networkConfig]),
      ...(host === undefined ? [] : ["--host", host]),
      ...(maxTokenAge === undefined ? [] : ["--max-token-age", maxTokenAge]),
      ...Object.entries(LIMITS).flatMap(([field, { flag }]) => (limits[field] === undefined ? [] : [flag, limits[field]!])),
    ];
    const outcome = await run(argv);
    if (typeof outcome === "number") process.exit(outcome);
    stopOnSignals(outcome);
    await new Promise<never>(() => undefined);
  });
