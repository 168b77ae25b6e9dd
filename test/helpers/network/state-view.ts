import { counter } from "./contracts";
import { KEY1, KEY2, KEY3, SIGNER1, participants } from "./group";
import { call } from "./rpc";

/** What a test reads of a group: its id and, if one was deployed, the Counter's address. */
export interface ViewedGroup {
  groupId: string;
  contract?: string;
}

/**
 * Every private read a client makes, on every node: the Counter's value and code, members, logs,
 * receipts, SIGNER1's nonce, the groups each node's key finds, and the public chain's head. Two equal
 * views mean the network answers every one of these the same.
 */
export async function readEverything(urls: readonly string[], groups: readonly ViewedGroup[], markers: readonly string[]): Promise<unknown> {
  const keys = [KEY1, KEY2, KEY3];
  return Promise.all(
    urls.map(async (url, i) => ({
      head: await call<{ number: string; hash: string }>(url, "eth_getBlockByNumber", ["latest", false]).then((block) => [block.number, block.hash]),
      found: await call<{ privacyGroupId: string }[]>(url, "privx_findFlexiblePrivacyGroup", [[keys[i]]]).then((found) => found.map((group) => group.privacyGroupId).sort()),
      receipts: await Promise.all(markers.map((marker) => call(url, "priv_getTransactionReceipt", [marker]))),
      groups: await Promise.all(
        groups.map(async ({ groupId, contract }) => ({
          members: await participants(url, groupId).catch((error: Error) => error.message),
          nonce: await call(url, "priv_getTransactionCount", [SIGNER1.address, groupId]),
          logs: await call(url, "priv_getLogs", [groupId, { fromBlock: "earliest", toBlock: "latest" }]).catch((error: Error) => error.message),
          root: await call(url, "priv_debugGetStateRoot", [groupId, "latest"]).catch((error: Error) => error.message),
          code: contract === undefined ? null : await call(url, "priv_getCode", [groupId, contract, "latest"]),
          value:
            contract === undefined
              ? null
              : await call(url, "priv_call", [groupId, { to: contract, data: counter.encodeFunctionData("value") }, "latest"]).catch((error: Error) => error.message),
        })),
      ),
    })),
  );
}

