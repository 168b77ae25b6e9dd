import fs from "node:fs";
import path from "node:path";
import { toBeHex, zeroPadValue } from "ethers";
import type { GenesisAlloc } from "../../src/hardhat/alloc";
import { IMPLEMENTATION_SLOT, GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../../src/core/constants";
import { GENESIS_DIR, readCommittedAlloc } from "../../src/hardhat/genesis-file";

const OTHER = "0x" + "ab".repeat(20);
/** A number as the difference lines print it: 0x and its hex digits, no padding. */
const quantity = (n: bigint): string => `0x${n.toString(16)}`;

/** The group header's first slot (the owner) and the `locked` flag's bit in the second, from the shipped layout. */
function groupHeader(): { ownerSlot: bigint; lockedWord: bigint } {
  const layout = JSON.parse(fs.readFileSync(path.join(GENESIS_DIR, "storage-layout.json"), "utf8")) as {
    management: {
      namespaces: Record<string, { rootSlot: string }>;
      namespaceTypes: Record<string, { members?: { label: string; offset: number }[] }>;
    };
  };
  const [namespace] = Object.values(layout.management.namespaces);
  const locked = layout.management.namespaceTypes["t_struct(Group)_storage"].members!.find((m) => m.label === "locked")!;
  return { ownerSlot: BigInt(namespace.rootSlot), lockedWord: 1n << BigInt(8 * locked.offset) };
}

/**
 * The shipped alloc with one thing changed, by case, and the difference line that must name it: what
 * `fpg:verify` and the network's groupGenesis check must refuse although the code is the shipped code.
 */
export function tamperedAllocs(): Record<string, { alloc: GenesisAlloc; names: RegExp }> {
  const edit = (change: (alloc: GenesisAlloc) => void): GenesisAlloc => {
    const alloc = readCommittedAlloc();
    change(alloc);
    return alloc;
  };
  const { ownerSlot, lockedWord } = groupHeader();
  return {
    "proxy slot 0 pointing at another address": {
      alloc: edit((a) => (a[GROUP_PROXY_ADDRESS].storage[IMPLEMENTATION_SLOT] = zeroPadValue(OTHER, 32))),
      names: new RegExp(`${GROUP_PROXY_ADDRESS} storage\\[0x0\\]: expected 0x7b, found ${OTHER}`),
    },
    "the proxy's slot 0 under two keys, another address first": {
      alloc: edit((a) => {
        const shipped = a[GROUP_PROXY_ADDRESS].storage[IMPLEMENTATION_SLOT];
        a[GROUP_PROXY_ADDRESS].storage = { "0x0": zeroPadValue(OTHER, 32), [IMPLEMENTATION_SLOT]: shipped };
      }),
      names: new RegExp(`${GROUP_PROXY_ADDRESS} storage: expected slot: word pairs in hex, each slot once, found not storage: slot 0x0 given twice`),
    },
    "an extra account": {
      alloc: edit((a) => (a[OTHER] = { balance: "0x0", code: "0x00", storage: {} })),
      names: new RegExp(`${OTHER} account: expected absent \\(the blob has exactly 2 accounts\\), found present`),
    },
    "a preset group header (another owner, locked)": {
      alloc: edit((a) => {
        a[GROUP_PROXY_ADDRESS].storage[toBeHex(ownerSlot, 32)] = zeroPadValue(OTHER, 32);
        a[GROUP_PROXY_ADDRESS].storage[toBeHex(ownerSlot + 1n, 32)] = toBeHex(lockedWord, 32);
      }),
      names: new RegExp(
        `${GROUP_PROXY_ADDRESS} storage\\[${quantity(ownerSlot)}\\]: expected nothing, found ${OTHER}.*` +
          `${GROUP_PROXY_ADDRESS} storage\\[${quantity(ownerSlot + 1n)}\\]: expected nothing, found ${quantity(lockedWord)}`,
        "s",
      ),
    },
    "a non-zero balance": {
      alloc: edit((a) => ((a[GROUP_MANAGEMENT_ADDRESS] as { balance: string }).balance = "0x1")),
      names: new RegExp(`${GROUP_MANAGEMENT_ADDRESS} balance: expected 0x0, found 0x1`),
    },
  };
}
