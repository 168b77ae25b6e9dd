/**
 * Decides whether a custom management contract is safe to upgrade a group to, and names every problem:
 *   - state variables (they start at slot 0, the proxy's implementation) instead of ERC-7201 namespaces;
 *   - assembly that writes slot 0, or a function that overwrites it when called;
 *   - a namespaced layout that is not compatible with the default contract's (upgrades-core's report);
 *   - what upgrades-core finds unsafe behind a proxy (selfdestruct, delegatecall, immutables, ...);
 *   - missing management functions or ERC-165 declarations;
 *   - a refusal by the real proxy, tried on a genesis group on the in-process Hardhat network.
 * The reference is the package's own blob build (src/hardhat/build.ts), the same in any project. What the
 * check reads of the project (the candidate's build, an in-process chain) comes from a host, one per
 * Hardhat (./upgrade-hosts).
 */
import type { SolcInput, SolcOutput } from "@openzeppelin/upgrades-core";
import { getStorageUpgradeReport, withValidationDefaults } from "@openzeppelin/upgrades-core";
import {
  BrowserProvider,
  Contract,
  ContractFactory,
  type Eip1193Provider,
  type FunctionFragment,
  type JsonFragment,
  type ParamType,
  Interface,
  Wallet,
  getAddress,
  zeroPadValue,
} from "ethers";
import { PrivateTransactionRevertedError, decodeRevert } from "../besu/errors";
import { IMPLEMENTATION_SLOT } from "../core/constants";
import { injectAlloc } from "./alloc";
import { NACL_KEY_LENGTH, pseudoRandomKeys } from "./trial-keys";
import { type ValidationError, readLayout } from "./storage-layout";
import { currentBlob } from "./build";
import { SOLC_VERSION } from "./compiler";
import { BLOB_CONTRACTS } from "./sources";
import { FlexiblePrivacyGroupProxy__factory, IFlexiblePrivacyGroupManagement__factory } from "../typechain";

/** The default management contract every candidate is compared with. */
export const DEFAULT_MANAGEMENT = `${BLOB_CONTRACTS.management.source}:${BLOB_CONTRACTS.management.name}`;

/**
 * What a candidate is checked against: the package's own blob build (its layout, ABI and runtime code,
 * as Besu injects it), not the project's artifacts, so the check runs the same in any project, whether
 * or not it compiles the default contract.
 */
interface Reference {
  layout: ReturnType<typeof readLayout>["layout"];
  abi: JsonFragment[];
  managementCode: string;
  proxyCode: string;
}

function reference(): Reference {
  const blob = currentBlob();
  const { management, proxy } = blob.contracts;
  return {
    layout: readLayout(blob.solcInput as never, blob.solcOutput as never, SOLC_VERSION, DEFAULT_MANAGEMENT).layout,
    abi: management.abi as JsonFragment[],
    managementCode: management.runtime,
    proxyCode: proxy.runtime,
  };
}

export type ProblemKind =
  | "storage-outside-namespace"
  | "writes-slot-0"
  | "layout-incompatible"
  | "unsafe-code"
  | "missing-interface"
  | "proxy-refused"
  | "group-broken";

export interface UpgradeProblem {
  kind: ProblemKind;
  message: string;
}

export interface UpgradeCheckReport {
  /** The candidate, as "source:Name". */
  contract: string;
  problems: UpgradeProblem[];
}

/** The candidate's compilation, as both Hardhats' artifacts and build info give it. */
export interface BuildOf {
  input: SolcInput;
  output: SolcOutput;
  solcVersion: string;
  /** The source's name in the compiler's input and output. */
  sourceName: string;
  contractName: string;
  abi: JsonFragment[];
  bytecode: string;
}

/** An in-process chain with Hardhat's test methods (evm_snapshot/evm_revert, hardhat_setCode/setStorageAt). */
export interface TestChain {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/** What the check needs of the project: the candidate's build, and a chain to try the real proxy on. */
export interface UpgradeCheckHost {
  build(name: string): Promise<BuildOf>;
  chain: TestChain;
}

interface SolcLayout {
  storage: { label: string; slot: string; type: string; contract: string }[];
}

/** State variables live from slot 0 on, where the proxy keeps its implementation. */
function storageOutsideNamespaces(build: BuildOf): UpgradeProblem[] {
  const compiled = build.output.contracts[build.sourceName][build.contractName] as { storageLayout?: SolcLayout };
  if (compiled.storageLayout === undefined) {
    throw new Error("the compiler output has no storageLayout: hardhat.config.ts must select it");
  }
  return compiled.storageLayout.storage.map((v) => ({
    kind: "storage-outside-namespace" as const,
    message:
      `state variable \`${v.label}\` (${v.contract}) sits at slot ${v.slot}` +
      (v.slot === "0" ? ", the proxy's implementation slot: writing it bricks the group" : "") +
      "; keep extra state in an ERC-7201 namespace struct (@custom:storage-location erc7201:<id>)",
  }));
}

type AstNode = { nodeType?: string; [key: string]: unknown };

function* walk(node: unknown): Generator<AstNode> {
  if (Array.isArray(node)) {
    for (const child of node) yield* walk(child);
  } else if (node !== null && typeof node === "object") {
    yield node as AstNode;
    for (const value of Object.values(node)) yield* walk(value);
  }
}

const isZeroLiteral = (node: unknown): boolean => {
  const n = node as { nodeType?: string; value?: string } | undefined;
  return n?.nodeType === "YulLiteral" && n.value !== undefined && BigInt(n.value) === 0n;
};

/** Inline assembly in the candidate's own contracts that stores to slot 0 by a literal. */
function assemblyWritesSlotZero(build: BuildOf): UpgradeProblem[] {
  const problems: UpgradeProblem[] = [];
  const contracts = [...walk(build.output.sources)].filter((n) => n.nodeType === "ContractDefinition");
  const ownSource = build.output.sources[build.sourceName] as { ast: unknown };
  const target = [...walk(ownSource.ast)].find(
    (n) => n.nodeType === "ContractDefinition" && n.name === build.contractName,
  );
  const lineage = new Set((target?.linearizedBaseContracts as number[] | undefined) ?? []);
  for (const contract of contracts.filter((c) => lineage.has(c.id as number))) {
    for (const call of walk(contract)) {
      const name = (call.functionName as { name?: string } | undefined)?.name;
      if (call.nodeType === "YulFunctionCall" && name === "sstore" && isZeroLiteral((call.arguments as unknown[])[0])) {
        problems.push({
          kind: "writes-slot-0",
          message: `${String(contract.name)} has assembly that writes slot 0 (sstore(0, …))`,
        });
      }
    }
  }
  return problems;
}

function describeUnsafe(error: ValidationError): string {
  const where = "src" in error ? ` at ${error.src}` : "";
  return `upgrades-core: ${error.kind}${where}`;
}

/** The candidate's layout against the default contract's, namespaces included (upgrades-core). */
function layoutProblems(build: BuildOf, original: Reference["layout"]): UpgradeProblem[] {
  const candidate = readLayout(
    build.input,
    build.output,
    build.solcVersion,
    `${build.sourceName}:${build.contractName}`,
  );
  const problems: UpgradeProblem[] = candidate.errors.map((e) => ({ kind: "unsafe-code", message: describeUnsafe(e) }));
  const report = getStorageUpgradeReport(original, candidate.layout, withValidationDefaults({ kind: "transparent" }));
  if (!report.ok) {
    problems.push({
      kind: "layout-incompatible",
      message: `the namespaced layout is not compatible with the default contract's:\n${report.explain(false)}`,
    });
  }
  return problems;
}

/** Every function of the management interface, and ERC-165's supportsInterface. */
function interfaceProblems(abi: JsonFragment[]): UpgradeProblem[] {
  const candidate = new Interface(abi);
  const required = IFlexiblePrivacyGroupManagement__factory.createInterface();
  const missing: string[] = [];
  required.forEachFunction((f) => {
    if (candidate.getFunction(f.selector) === null) missing.push(f.format());
  });
  if (candidate.getFunction("supportsInterface(bytes4)") === null) missing.push("supportsInterface(bytes4) (ERC-165)");
  return missing.map((signature) => ({ kind: "missing-interface", message: `does not implement ${signature}` }));
}

/** A plausible argument for probing a function: a fresh account for addresses, small non-zero values. */
function sampleArgument(param: ParamType, account: string): unknown {
  if (param.isArray())
    return param.arrayLength > 0
      ? Array(param.arrayLength).fill(sampleArgument(param.arrayChildren, account))
      : [sampleArgument(param.arrayChildren, account)];
  if (param.isTuple()) return param.components.map((c) => sampleArgument(c, account));
  if (param.baseType === "address") return account;
  if (param.baseType === "bool") return true;
  if (param.baseType === "string") return "probe";
  if (param.baseType === "bytes") return pseudoRandomKeys("upgrade-check", 0, 1, NACL_KEY_LENGTH)[0];
  if (param.baseType.startsWith("bytes")) return zeroPadValue("0x01", Number(param.baseType.slice(5)));
  return 1n;
}

/** The chain as ethers' EIP-1193 provider. */
function eip1193(chain: TestChain): Eip1193Provider {
  return { request: ({ method, params }) => chain.send(method, (params as unknown[] | undefined) ?? []) };
}

async function slotZero(chain: TestChain, proxy: string): Promise<string> {
  return getAddress(`0x${(await new BrowserProvider(eip1193(chain)).getStorage(proxy, 0)).slice(26)}`);
}

const errorName = (error: unknown): string => {
  const decoded = decodeRevert(error);
  return decoded instanceof PrivateTransactionRevertedError && decoded.errorName !== null
    ? `${decoded.errorName}(${decoded.args.map(String).join(", ")})`
    : (decoded as Error).message;
};

/**
 * Injects the genesis blob at two fresh addresses, as Besu does (code, slot 0, no constructor),
 * creates a group, upgrades it to the candidate through the real proxy, and then checks that the group
 * still reads the same, that the owner can still lock, unlock and remove, that no new function of the
 * candidate overwrites slot 0 when called, and that the owner can upgrade back. Runs in a snapshot that
 * is reverted, so it leaves the chain as it found it.
 */
async function proxyProblems(
  chain: TestChain,
  build: BuildOf,
  blob: Reference,
  extraFunctions: FunctionFragment[],
): Promise<UpgradeProblem[]> {
  const snapshot = await chain.send("evm_snapshot", []);
  try {
    const problems: UpgradeProblem[] = [];
    // Plain ethers over the in-process network's EIP-1193 provider: no Hardhat plugin (hardhat-ethers) needed.
    const owner = await new BrowserProvider(eip1193(chain)).getSigner(0);
    const managementAddress = Wallet.createRandom().address;
    const proxyAddress = Wallet.createRandom().address;
    await injectAlloc(chain, {
      [managementAddress]: { balance: "0x0", code: blob.managementCode, storage: {} },
      [proxyAddress]: {
        balance: "0x0",
        code: blob.proxyCode,
        storage: { [IMPLEMENTATION_SLOT]: zeroPadValue(managementAddress, 32) },
      },
    });
    const group = new Contract(proxyAddress, blob.abi, owner);
    const proxy = new Contract(proxyAddress, FlexiblePrivacyGroupProxy__factory.abi, owner);
    const [k0, k1] = pseudoRandomKeys("upgrade-check-members", 0, 2, NACL_KEY_LENGTH);
    await (await group.addParticipants([k0, k1])).wait();

    const factory = new ContractFactory(build.abi, build.bytecode, owner);
    const candidate = await (await factory.deploy()).getAddress();
    const before = [await group.getParticipants(), await group.getVersion(), await group.owner()].map(String);
    try {
      await (await proxy.upgradeTo(candidate)).wait();
    } catch (error) {
      return [{ kind: "proxy-refused", message: `the proxy refused upgradeTo: ${errorName(error)}` }];
    }
    const after = [await group.getParticipants(), await group.getVersion(), await group.owner()].map(String);
    if (after.join() !== before.join()) {
      problems.push({
        kind: "group-broken",
        message: "after the upgrade the group reads other members, version or owner",
      });
    }
    // The candidate's own policy may refuse an add (an allow list does), so lock, unlock and remove it is.
    try {
      await (await group.lock()).wait();
      await (await group.unlock()).wait();
      await (await group.removeParticipant(k0)).wait();
    } catch (error) {
      problems.push({
        kind: "group-broken",
        message: `the owner can no longer lock, unlock and remove: ${errorName(error)}`,
      });
    }
    const probe = Wallet.createRandom().address;
    const candidateAtProxy = new Contract(proxyAddress, build.abi, owner);
    for (const fragment of extraFunctions) {
      const args = fragment.inputs.map((p) => sampleArgument(p, probe));
      try {
        await (await candidateAtProxy.getFunction(fragment)(...args)).wait();
      } catch {
        // A refusal is the candidate's business; only what a call does to slot 0 counts here.
      }
      if ((await slotZero(chain, proxyAddress)) !== getAddress(candidate)) {
        problems.push({
          kind: "writes-slot-0",
          message: `calling ${fragment.format()} overwrote slot 0, the proxy's implementation: the group would be bricked`,
        });
        await chain.send("hardhat_setStorageAt", [proxyAddress, "0x0", zeroPadValue(candidate, 32)]);
      }
    }
    try {
      if ((await group.canExecute()) === false) await (await group.unlock()).wait();
      await (await proxy.upgradeTo(managementAddress)).wait();
    } catch (error) {
      problems.push({
        kind: "group-broken",
        message: `the owner can not upgrade back to the default contract: ${errorName(error)}`,
      });
    }
    return problems;
  } finally {
    await chain.send("evm_revert", [snapshot]);
  }
}

/** Runs every check on `name` (a contract name or "source:Name") and returns the problems found. */
export async function checkUpgrade(host: UpgradeCheckHost, name: string): Promise<UpgradeCheckReport> {
  const build = await host.build(name);
  const contract = `${build.sourceName}:${build.contractName}`;
  const abi = build.abi;
  const blob = reference();
  const problems = [
    ...storageOutsideNamespaces(build),
    ...assemblyWritesSlotZero(build),
    ...layoutProblems(build, blob.layout),
    ...interfaceProblems(abi),
  ];
  if (problems.some((p) => p.kind === "missing-interface")) return { contract, problems };

  const base = new Interface(blob.abi);
  const extra: FunctionFragment[] = [];
  new Interface(abi).forEachFunction((f) => {
    if (base.getFunction(f.selector) === null && !f.constant) extra.push(f);
  });
  problems.push(...(await proxyProblems(host.chain, build, blob, extra)));
  return { contract, problems };
}

/** The report as lines for a terminal. */
export function formatReport(report: UpgradeCheckReport): string {
  if (report.problems.length === 0) return `${report.contract}: safe to upgrade to (no problems found)`;
  return [
    `${report.contract}: NOT safe to upgrade to, ${report.problems.length} problem(s):`,
    ...report.problems.map((p) => `  - [${p.kind}] ${p.message.replace(/\n/g, "\n    ")}`),
  ].join("\n");
}
