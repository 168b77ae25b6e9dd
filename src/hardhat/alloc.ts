import { getAddress, toQuantity, zeroPadValue } from "ethers";
import { IMPLEMENTATION_SLOT, GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../core/constants";

export interface AllocAccount {
  balance: "0x0";
  code: string;
  storage: Record<string, string>;
}

/** Besu's genesis `alloc` fragment: the two accounts exactly as Besu writes them into a new group. */
export type GenesisAlloc = Record<string, AllocAccount>;

export function makeAlloc(managementRuntime: string, proxyRuntime: string): GenesisAlloc {
  return {
    [GROUP_MANAGEMENT_ADDRESS]: { balance: "0x0", code: managementRuntime, storage: {} },
    [GROUP_PROXY_ADDRESS]: {
      balance: "0x0",
      code: proxyRuntime,
      storage: { [IMPLEMENTATION_SLOT]: zeroPadValue(GROUP_MANAGEMENT_ADDRESS, 32) },
    },
  };
}

/** The JSON-RPC surface needed to place accounts (Hardhat's provider has it). */
export interface StateWriter {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/** Writes an alloc into a Hardhat network the way Besu injects it: code and storage, no constructor. */
export async function injectAlloc(provider: StateWriter, alloc: GenesisAlloc): Promise<void> {
  for (const [address, account] of Object.entries(alloc)) {
    await provider.send("hardhat_setCode", [getAddress(address), account.code]);
    for (const [slot, value] of Object.entries(account.storage)) {
      await provider.send("hardhat_setStorageAt", [getAddress(address), toQuantity(slot), value]);
    }
  }
}
