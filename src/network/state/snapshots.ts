import type { ReceivedPayload } from "../chain/enclave";
import type { NetworkCore, PrivacyApi, PrivateFilter } from "../rpc/privacy-api";
import { Errors } from "../rpc/errors";
import { quantityValue } from "../rpc/params";
import { PrivateGroup, type PrivateStateContext, type SavedGroup } from "./group";
import type { PrivateRecord } from "./node";

/** What one node holds outside the trie database: its groups' histories, records, enclave and filters. */
interface NodeSnapshot {
  groups: [string, SavedGroup][];
  records: PrivateRecord[];
  payloads: Map<string, ReceivedPayload>;
  filters: PrivateFilter[];
}

interface Snapshot {
  /** The engine's snapshot id, as a number (ids are quantities: 0x1 and 0x01 are the same). */
  id: number;
  head: number;
  nodes: NodeSnapshot[];
}

/**
 * The network's evm_snapshot/evm_revert (Hardhat's semantics): one id space for every node, covering the
 * public chain (the engine's own snapshot) and each node's private state. The private state tries are
 * content-addressed and never pruned, so a snapshot keeps only roots and histories: O(groups + records).
 */
export class NetworkSnapshots {
  private readonly taken: Snapshot[] = [];

  constructor(
    private readonly core: NetworkCore,
    private readonly apis: readonly PrivacyApi[],
    private readonly states: PrivateStateContext,
  ) {}

  /** Takes a snapshot between requests; returns its id (a quantity, as Hardhat's). */
  take(): Promise<string> {
    return this.core.queue.run(async () => {
      const id = (await this.core.chain.provider.request({ method: "evm_snapshot", params: [] })) as string;
      this.taken.push({ id: Number(BigInt(id)), head: this.core.chain.head, nodes: this.apis.map(saveNode) });
      return id;
    });
  }

  /** Reverts to the snapshot and drops it and every later one; false for an id that is not (or no longer) held. */
  revert(id: string): Promise<boolean> {
    const wanted = quantityValue(id);
    if (wanted === undefined) return Promise.reject(Errors.invalidParams());
    return this.core.queue.run(async () => {
      const index = this.taken.findIndex((snapshot) => snapshot.id === wanted);
      if (index < 0) return false;
      const [snapshot] = this.taken.splice(index);
      const reverted = await this.core.chain.provider.request({ method: "evm_revert", params: [id] });
      if (reverted !== true) return false;
      this.core.chain.truncate(snapshot.head);
      // Caches keyed by what may now mean something else: executions of the dropped blocks, open states.
      this.core.memo.clear();
      this.states.live.clear();
      this.apis.forEach((api, i) => this.restoreNode(api, snapshot.nodes[i]));
      return true;
    });
  }

  /** evm_snapshot / evm_revert as JSON-RPC methods. */
  handle(method: "evm_snapshot" | "evm_revert", params: readonly unknown[]): Promise<unknown> {
    if (method === "evm_snapshot") {
      if (params.length !== 0) throw Errors.invalidParamCount();
      return this.take();
    }
    if (params.length !== 1) throw Errors.invalidParamCount();
    if (typeof params[0] !== "string") throw Errors.invalidParams();
    return this.revert(params[0]);
  }

  private restoreNode(api: PrivacyApi, saved: NodeSnapshot): void {
    const { node } = api;
    node.groups.clear();
    for (const [id, group] of saved.groups) node.groups.set(id, PrivateGroup.restore(id, this.states, group));
    node.records.clear();
    for (const record of saved.records) node.records.set(record.markerHash, record);
    node.enclave.replace(saved.payloads);
    api.filters.clear();
    // A revert counts as a use: a restored filter does not expire for the time spent after the snapshot.
    const now = Date.now();
    for (const filter of saved.filters) api.filters.set(filter.id, { ...filter, lastUsed: now });
  }
}

/** Records are kept as copies: rehydration adds keys to a record's visibleTo later. */
function saveNode(api: PrivacyApi): NodeSnapshot {
  const { node } = api;
  return {
    groups: [...node.groups].map(([id, group]) => [id, group.save()]),
    records: [...node.records.values()].map((record) => ({ ...record, visibleTo: new Set(record.visibleTo) })),
    payloads: node.enclave.held(),
    filters: [...api.filters.values()].map((filter) => ({ ...filter })),
  };
}
