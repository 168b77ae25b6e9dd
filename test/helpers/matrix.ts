import { setBalance } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { expect } from "chai";
import { type BaseContract, type FunctionFragment, type Interface } from "ethers";
import hre from "hardhat";
import { groupState } from "./fixtures";

export type Group = Parameters<typeof groupState>[0];
export type GroupState = Awaited<ReturnType<typeof groupState>>;

/** groupState with the participant list as a plain array, so snapshots compare by value. */
export async function snapshot(group: Group): Promise<GroupState> {
  const state = await groupState(group);
  return { ...state, participants: [...state.participants] };
}

/**
 * Snapshots the group, runs `refusal` (which must itself assert the revert, e.g. an awaited
 * `expect(...).to.be.revertedWithCustomError(...)`), and proves nothing observable changed.
 */
export async function expectUnchanged(group: Group, refusal: () => PromiseLike<unknown>): Promise<void> {
  const before = await snapshot(group);
  await refusal();
  expect(await snapshot(group), "a refused call changed the group").to.deep.equal(before);
}

/** expectUnchanged for the usual case: `send()` reverts with the custom error `name(...args)` of `errors`. */
export async function expectRefused(
  group: Group,
  send: () => Promise<unknown>,
  name: string,
  args: readonly unknown[] = [],
  errors: BaseContract = group,
): Promise<void> {
  await expectUnchanged(group, () =>
    expect(send())
      .to.be.revertedWithCustomError(errors, name)
      .withArgs(...args),
  );
}

function isView(fragment: FunctionFragment): boolean {
  return fragment.stateMutability === "view" || fragment.stateMutability === "pure";
}

/** Every function of `iface` that may change state, by signature (e.g. "lock()"). */
export function stateChangingFunctions(iface: Interface): FunctionFragment[] {
  const found: FunctionFragment[] = [];
  iface.forEachFunction((fragment) => {
    if (!isView(fragment)) found.push(fragment);
  });
  return found;
}

/** Every view or pure function of `iface`. */
export function viewFunctions(iface: Interface): FunctionFragment[] {
  const found: FunctionFragment[] = [];
  iface.forEachFunction((fragment) => {
    if (isView(fragment)) found.push(fragment);
  });
  return found;
}

/** Besu's read: an eth_call from `from` (address(0) for Besu) with 3,000,000 gas, decoded deeply. */
export async function callAs(
  from: string,
  to: string,
  iface: Interface,
  fragment: FunctionFragment,
  args: readonly unknown[],
): Promise<unknown> {
  const data = iface.encodeFunctionData(fragment, args);
  const returned = await hre.ethers.provider.call({ from, to, data, gasLimit: 3_000_000 });
  return iface.decodeFunctionResult(fragment, returned).toArray(true)[0];
}

/** A signer for any address (address(0) included), funded so that it can send transactions. */
export async function impersonate(address: string): Promise<HardhatEthersSigner> {
  await hre.network.provider.request({ method: "hardhat_impersonateAccount", params: [address] });
  await setBalance(address, 10n ** 18n);
  return hre.ethers.getSigner(address);
}
