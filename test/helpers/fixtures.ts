import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash } from "ethers";
import hre from "hardhat";
import { injectAlloc, makeAlloc, type GenesisAlloc } from "../../src/hardhat/alloc";
import { GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../../src/core/constants";
import { currentBlob } from "../../src/hardhat/build";
import { NACL_KEY_LENGTH, pseudoRandomKeys } from "../../src/hardhat/trial-keys";
import {
  ERC165Only__factory,
  FlexiblePrivacyGroupManagement__factory,
  FlexiblePrivacyGroupManagementV2__factory,
  FlexiblePrivacyGroupProxy__factory,
  ForwardingCaller__factory,
} from "../../typechain-types";
import FlexiblePrivacyGroupModule from "../../ignition/modules/FlexiblePrivacyGroup";
import { versionAfter } from "./version";

/** True while `hardhat coverage` runs the suite on instrumented contracts. */
export function coverageRunning(): boolean {
  return (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;
}

/**
 * The alloc the genesis fixture injects: the blob built from the current source, exactly as
 * `npm run export` builds it (so an edited contract is tested before it is exported; test/contracts/genesis.test.ts
 * says when genesis/ is behind). Under coverage, the same injection uses the instrumented build so that
 * coverage sees the genesis path.
 */
async function allocUnderTest(): Promise<GenesisAlloc> {
  if (!coverageRunning()) {
    const { management, proxy } = currentBlob().contracts;
    return makeAlloc(management.runtime, proxy.runtime);
  }
  const management = await hre.artifacts.readArtifact("FlexiblePrivacyGroupManagement");
  const proxy = await hre.artifacts.readArtifact("FlexiblePrivacyGroupProxy");
  return makeAlloc(management.deployedBytecode, proxy.deployedBytecode);
}

async function accounts() {
  const [owner, other, newOwner] = await hre.ethers.getSigners();
  const caller = await new ForwardingCaller__factory(owner).deploy();
  return { owner, other, newOwner, caller };
}

/**
 * A new group's genesis state exactly as Besu injects it: no group yet.
 * Load it with `loadFixture(genesisFixture)`, also inside other fixtures: injecting code does not clear
 * storage, so it must run once on a chain that never had a group, and later loads restore its snapshot.
 */
export async function genesisFixture() {
  if ((await hre.ethers.provider.getCode(GROUP_PROXY_ADDRESS)) !== "0x") {
    throw new Error("genesisFixture ran on a chain that already has a group: call it through loadFixture");
  }
  await injectAlloc(hre.ethers.provider, await allocUnderTest());
  const signers = await accounts();
  return {
    ...signers,
    group: FlexiblePrivacyGroupManagement__factory.connect(GROUP_PROXY_ADDRESS, signers.owner),
    proxy: FlexiblePrivacyGroupProxy__factory.connect(GROUP_PROXY_ADDRESS, signers.owner),
    implementation: FlexiblePrivacyGroupManagement__factory.connect(GROUP_MANAGEMENT_ADDRESS, signers.owner),
  };
}

export const INITIAL_KEYS = pseudoRandomKeys("member", 0, 3, NACL_KEY_LENGTH);

/** A genesis group created by `owner` with three NaCl keys, unlocked; `createdVersion` is its version. */
export async function createdGroupFixture() {
  const fixture = await loadFixture(genesisFixture);
  const createdVersion = await versionAfter(ZeroHash, await fixture.group.addParticipants(INITIAL_KEYS));
  return { ...fixture, createdVersion };
}

export const DEPLOYED_KEYS = pseudoRandomKeys("deployed", 0, 3, NACL_KEY_LENGTH);

/** The suite deployed by the Ignition module, as on an ordinary EVM network: created with DEPLOYED_KEYS. */
export async function deployedFixture() {
  const { management, proxy } = await hre.ignition.deploy(FlexiblePrivacyGroupModule, {
    parameters: { FlexiblePrivacyGroup: { participants: DEPLOYED_KEYS } },
  });
  const signers = await accounts();
  const proxyAddress = await proxy.getAddress();
  return {
    ...signers,
    group: FlexiblePrivacyGroupManagement__factory.connect(proxyAddress, signers.owner),
    proxy: FlexiblePrivacyGroupProxy__factory.connect(proxyAddress, signers.owner),
    implementation: FlexiblePrivacyGroupManagement__factory.connect(await management.getAddress(), signers.owner),
  };
}

/** Deploys the example V2 and a contract that is not a management contract, for upgrade tests. */
export async function upgradeTargets(deployer: Awaited<ReturnType<typeof accounts>>["owner"]) {
  return {
    v2: await new FlexiblePrivacyGroupManagementV2__factory(deployer).deploy(),
    erc165Only: await new ERC165Only__factory(deployer).deploy(),
  };
}

/** Everything a test can observe of a group, to prove that a refused call changed nothing. */
export async function groupState(group: ReturnType<typeof FlexiblePrivacyGroupManagement__factory.connect>) {
  const proxy = FlexiblePrivacyGroupProxy__factory.connect(await group.getAddress(), hre.ethers.provider);
  return {
    participants: await group.getParticipants(),
    version: await group.getVersion(),
    canExecute: await group.canExecute(),
    owner: await group.owner(),
    pendingOwner: await group.pendingOwner(),
    implementation: await proxy.implementation(),
  };
}
