/** fpg:node, for Hardhat 2 and 3: runs until Ctrl-C. */
export default async function privacyNodeAction({ networkConfig, host, maxTokenAge, ...limits }: Record<string, string | undefined>) {
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
}
