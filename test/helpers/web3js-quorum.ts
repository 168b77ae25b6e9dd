// web3js-quorum 22.4.0 for the interop tests (test/besu and test/viem): its flexible-group API, its priv
// methods, and the ABI fix it needs, typed as far as the tests use them.
import {
  FlexiblePrivacyGroupManagement__factory,
  FlexiblePrivacyGroupProxy__factory,
} from "../../typechain-types";
import { DEFAULT_NODES } from "../../src/network/defaults";

// web3js-quorum's npm release (22.4.0) still encodes the bytes32[] ABI that Besu 22.10+ rejects. Its fix
// (PR #58) changed only solidity/PrivacyProxy.json to the bytes[]/bytes ABI, so the test gives it that ABI.
const proxyAbiPath = require.resolve("web3js-quorum/solidity/PrivacyProxy.json");
// A copy: web3 writes `signature`, `constant` and `payable` into the ABI objects it is given, and these are
// TypeChain's own, which other tests compare.
const bytesAbi = structuredClone(
  [...FlexiblePrivacyGroupManagement__factory.abi, ...FlexiblePrivacyGroupProxy__factory.abi].filter(
    (fragment) => fragment.type === "function" || fragment.type === "event",
  ),
);
require.cache[proxyAbiPath] = {
  id: proxyAbiPath,
  filename: proxyAbiPath,
  loaded: true,
  exports: { output: { abi: bytesAbi } },
} as unknown as NodeModule;

export type Receipt = { status: string; privacyGroupId: string };
export interface FlexibleGroupApi {
  find(keys: string[]): Promise<{ privacyGroupId: string; members: string[] }[]>;
  create(options: {
    participants: string[];
    enclaveKey: string;
    privateKey: string;
    privacyGroupId?: string;
  }): Promise<Receipt>;
  addTo(options: {
    participants: string[];
    enclaveKey: string;
    privateKey: string;
    privacyGroupId: string;
  }): Promise<Receipt>;
  removeFrom(options: {
    participant: string;
    enclaveKey: string;
    privateKey: string;
    privacyGroupId: string;
  }): Promise<Receipt>;
  getParticipants(options: { privacyGroupId: string }): Promise<string[]>;
}
/** web3js-quorum's PrivateSubscription: an EventEmitter of "data" (a notification's params over WebSocket). */
export interface QuorumSubscription {
  on(event: "data", listener: (params: { subscription: string; privacyGroupId: string; result: { address: string; topics: string[]; data: string } }) => void): void;
  unsubscribe(callback: (error: unknown, result?: boolean) => void): Promise<unknown>;
}
export type Web3Like = {
  eth: { flexiblePrivacyGroup: FlexibleGroupApi };
  priv: {
    /** Signs with `privateKey` (hex without 0x) and sends with eea_sendRawTransaction; the nonce from priv_getTransactionCount. */
    generateAndSendRawTransaction(options: {
      privateKey: string;
      privateFrom: string;
      privacyGroupId: string;
      to?: string;
      data: string;
    }): Promise<string>;
    subscriptionPollingInterval: number;
    subscribeWithPooling(privacyGroupId: string, filter: object, callback: (error: unknown, id?: string) => void): Promise<QuorumSubscription>;
  };
  currentProvider: { disconnect(): void; constructor: { name: string } };
};
/* eslint-disable @typescript-eslint/no-require-imports */
export const Web3 = require("web3") as new (url: string) => unknown;
export const Web3Quorum = require("web3js-quorum") as (web3: unknown) => Web3Like;
/* eslint-enable @typescript-eslint/no-require-imports */

/** web3js-quorum takes private keys as hex without 0x. */
export const privateKeyOf = (node: number): string => DEFAULT_NODES[node].privateKey.slice(2);
