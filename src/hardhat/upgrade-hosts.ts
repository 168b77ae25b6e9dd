/**
 * What fpg:check-upgrade reads of the project, on each Hardhat: the candidate's artifact and build info,
 * and the in-process network to try the real proxy on. Hardhat 2 keeps the build info in one file and has
 * one network (`hre.network`); Hardhat 3 splits it in two files (input, output) and opens networks as
 * connections. Both are read through their public APIs, typed here by what is used.
 */
import fs from "node:fs";
import type { JsonFragment } from "ethers";
import type { SolcInput, SolcOutput } from "@openzeppelin/upgrades-core";
import type { BuildOf, TestChain, UpgradeCheckHost } from "./upgrade-check";
import { UserError } from "./user-error";

interface Artifact {
  sourceName: string;
  /** Hardhat 3: the source's name in the compiler's input ("project/contracts/X.sol"). */
  inputSourceName?: string;
  contractName: string;
  abi: unknown[];
  bytecode: string;
}

interface Hardhat2 {
  run(task: string, args?: object): Promise<unknown>;
  artifacts: {
    readArtifact(name: string): Promise<Artifact>;
    getBuildInfo(fqn: string): Promise<{ input: unknown; output: unknown; solcVersion: string } | undefined>;
  };
  network: { name: string; provider: TestChain };
}

interface Hardhat3 {
  tasks: { getTask(id: string): { run(args?: object): Promise<unknown> } };
  artifacts: {
    readArtifact(name: string): Promise<Artifact>;
    getBuildInfoId(fqn: string): Promise<string | undefined>;
    getBuildInfoPath(id: string): Promise<string | undefined>;
    getBuildInfoOutputPath(id: string): Promise<string | undefined>;
  };
  network: {
    create(): Promise<{
      networkName: string;
      networkConfig: { type: string };
      provider: { request(args: { method: string; params?: unknown[] }): Promise<unknown> };
      close(): Promise<void>;
    }>;
  };
}

export const isHardhat2 = (hre: unknown): hre is Hardhat2 => typeof (hre as Partial<Hardhat2>).run === "function";

function buildOf(artifact: Artifact, build: { input: unknown; output: unknown; solcVersion: string }): BuildOf {
  return {
    input: build.input as SolcInput,
    output: build.output as SolcOutput,
    solcVersion: build.solcVersion,
    sourceName: artifact.inputSourceName ?? artifact.sourceName,
    contractName: artifact.contractName,
    abi: artifact.abi as JsonFragment[],
    bytecode: artifact.bytecode,
  };
}

const noBuildInfo = (fqn: string, build: string) => new UserError(`no build info for ${fqn}: run \`npx hardhat ${build}\``);

/** Hardhat 2: compiles, then reads the build info and uses the in-process `hardhat` network. */
export async function hardhat2Host(hre: Hardhat2): Promise<UpgradeCheckHost & { close(): Promise<void> }> {
  if (hre.network.name !== "hardhat") throw new UserError("fpg:check-upgrade runs on the in-process Hardhat network only: leave out --network");
  await hre.run("compile", { quiet: true });
  return {
    async build(name) {
      const artifact = await hre.artifacts.readArtifact(name);
      const fqn = `${artifact.sourceName}:${artifact.contractName}`;
      const info = await hre.artifacts.getBuildInfo(fqn);
      if (info === undefined) throw noBuildInfo(fqn, "compile");
      return buildOf(artifact, info);
    },
    chain: hre.network.provider,
    close: async () => undefined,
  };
}

/** Hardhat 3: builds, then reads the two build-info files and opens a connection to an in-process network. */
export async function hardhat3Host(hre: Hardhat3): Promise<UpgradeCheckHost & { close(): Promise<void> }> {
  await hre.tasks.getTask("build").run({ quiet: true });
  const connection = await hre.network.create();
  if (connection.networkConfig.type !== "edr-simulated") {
    await connection.close();
    throw new UserError(`fpg:check-upgrade runs on an in-process network; the default network ${connection.networkName} is ${connection.networkConfig.type}`);
  }
  return {
    async build(name) {
      const artifact = await hre.artifacts.readArtifact(name);
      const fqn = `${artifact.sourceName}:${artifact.contractName}`;
      const id = await hre.artifacts.getBuildInfoId(fqn);
      const inputPath = id === undefined ? undefined : await hre.artifacts.getBuildInfoPath(id);
      const outputPath = id === undefined ? undefined : await hre.artifacts.getBuildInfoOutputPath(id);
      if (inputPath === undefined || outputPath === undefined) throw noBuildInfo(fqn, "build");
      const { input, solcVersion } = JSON.parse(fs.readFileSync(inputPath, "utf8")) as { input: unknown; solcVersion: string };
      const { output } = JSON.parse(fs.readFileSync(outputPath, "utf8")) as { output: unknown };
      return buildOf(artifact, { input, output, solcVersion });
    },
    chain: { send: (method, params) => connection.provider.request({ method, params }) },
    close: () => connection.close(),
  };
}
