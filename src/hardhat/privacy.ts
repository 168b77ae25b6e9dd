/**
 * The `privacy` helpers of the Hardhat plugin, the same on Hardhat 2 (`hre.privacy`) and 3: private signers
 * on an in-process development network started at first use (every node on a free port, so parallel runs do
 * not collide) and stopped when the test run ends, and groups created through them.
 */
import fs from "node:fs";
import path from "node:path";
import { FetchRequest, Wallet } from "ethers";
import { FlexiblePrivacyGroup } from "../besu/group";
import { PrivacyProvider } from "../besu/provider";
import { PrivateSigner } from "../besu/signer";
import type { NetworkConfig, PrivacyNetwork, RunningNode } from "../network";
import { NOT_NETWORK_PEERS } from "../network/peers";
import { PACKAGE_ROOT } from "./sources";
import { type PrivacyHelpersOptions, PrivacyPluginError } from "./privacy-config";

/**
 * The network entry, loaded on first use (a test file that never asks for privacy does not load its
 * engine). Its engine is optional peers of the package: a missing one is named with the install line.
 */
async function loadNetwork(): Promise<typeof import("../network")> {
  try {
    return await import("../network");
  } catch (error) {
    const missing = /Cannot find module '([^']+)'/.exec((error as Error).message)?.[1];
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { peerDependencies: Record<string, string> };
    if (missing === undefined || !(missing in pkg.peerDependencies)) throw error;
    const peers = Object.entries(pkg.peerDependencies).filter(([name]) => !NOT_NETWORK_PEERS.includes(name));
    throw new PrivacyPluginError(
      `privacy: the development network needs its optional peer dependency ${missing}; install them with ` +
        `\`npm install --save-dev ${peers.map(([name, range]) => `${name}@"${range}"`).join(" ")}\``,
    );
  }
}

/** A member of a new group: a signer (its enclave key) or a base64 enclave key. */
export type GroupMember = PrivateSigner | string;

interface FixtureSnapshot {
  fixture: () => Promise<unknown>;
  snapshot: string;
  data: unknown;
}

interface Started {
  network: PrivacyNetwork;
  /** The config the network started with (its accounts and chain ID are the signers'). */
  config: NetworkConfig;
}

export class PrivacyHelpers {
  readonly #options: PrivacyHelpersOptions;
  #started: Promise<Started> | undefined;
  #signers: Promise<PrivateSigner[]> | undefined;
  #fixtures: FixtureSnapshot[] = [];

  constructor(options: PrivacyHelpersOptions = {}) {
    this.#options = options;
  }

  /** Starts the network at the first call, reading its config once. */
  #start(): Promise<Started> {
    this.#started ??= (async () => {
      const { defaultNetworkConfig, startPrivacyNetwork } = await loadNetwork();
      const config = (this.#options.config ?? defaultNetworkConfig)();
      const network = await startPrivacyNetwork({ ...config, nodes: config.nodes.map((node) => ({ ...node, rpcPort: 0 })) });
      return { network, config };
    })();
    // A start that failed (a bad config file) is not remembered: the next call tries again.
    this.#started.catch(() => {
      this.#started = undefined;
      this.#signers = undefined;
    });
    return this.#started;
  }

  /** The running network, started at the first call. */
  async network(): Promise<PrivacyNetwork> {
    return (await this.#start()).network;
  }

  /**
   * One PrivateSigner per node account of the network's config (`accounts[i]` signs at node i, with that
   * node's first enclave key), talking JSON-RPC to its node in this process. The same signers on every call.
   */
  signers(): Promise<PrivateSigner[]> {
    this.#signers ??= (async () => {
      const { network, config } = await this.#start();
      const { accounts, chainId } = config;
      return network.nodes.map((node, i) => {
        // No batching stall (ethers waits 10 ms to batch by default, a third of a round trip here), and a
        // known chain: the network answers at once, so every request goes out at once.
        const provider = new PrivacyProvider(inProcessRequest(node), {
          pollingInterval: 20,
          batchMaxCount: 1,
          batchStallTime: 0,
          network: chainId,
        });
        return new PrivateSigner(new Wallet(accounts[i % accounts.length]), node.enclaveKeys[0], provider);
      });
    })();
    return this.#signers;
  }

  /** Creates a group owned by `owner` whose members are `owner` and `members` (signers or enclave keys). */
  createGroup(owner: PrivateSigner, members: readonly GroupMember[], options: { id?: string } = {}): Promise<FlexiblePrivacyGroup> {
    const keys = [owner.enclaveKey, ...members.map((member) => (typeof member === "string" ? member : member.enclaveKey))];
    return FlexiblePrivacyGroup.create(owner, [...new Set(keys)], options);
  }

  /**
   * Like Hardhat's loadFixture, for the development network as a whole (its public chain and every node's
   * private state, enclave and filters): the first call runs `fixture` and snapshots the network; later
   * calls revert to that snapshot and return the same data. A fixture that throws leaves the network as it
   * was before it ran.
   */
  async loadFixture<T>(fixture: () => Promise<T>): Promise<T> {
    if (fixture.name === "") {
      throw new PrivacyPluginError(
        "privacy.loadFixture: pass a named function declared once (e.g. `async function deployToken() {…}`), not an arrow function made in the test, so later calls find its snapshot",
      );
    }
    const network = await this.network();
    const index = this.#fixtures.findIndex((known) => known.fixture === fixture);
    if (index >= 0) {
      const known = this.#fixtures[index];
      // A revert drops the snapshots taken after it (Hardhat's rule), and with them the later fixtures.
      if (!(await network.revert(known.snapshot))) throw new PrivacyPluginError(`privacy.loadFixture: the snapshot of ${fixture.name} is gone`);
      this.#fixtures.splice(index + 1);
      known.snapshot = await network.snapshot();
      await this.#forgetNonces();
      return known.data as T;
    }
    const before = await network.snapshot();
    let data: T;
    try {
      data = await fixture();
    } catch (error) {
      await network.revert(before);
      await this.#forgetNonces();
      throw new PrivacyPluginError(`privacy.loadFixture: the fixture ${fixture.name} threw: ${(error as Error).message ?? String(error)}`, {
        cause: error,
      });
    }
    this.#fixtures.push({ fixture, snapshot: await network.snapshot(), data });
    return data;
  }

  /** The signers' counted nonces are the network's of before a revert: count again. */
  async #forgetNonces(): Promise<void> {
    if (this.#signers === undefined) return;
    for (const signer of await this.#signers) signer.resetNonces();
  }

  /** Stops the network if it was started; the next use starts a fresh one. */
  async stop(): Promise<void> {
    const started = this.#started;
    this.#started = undefined;
    this.#signers = undefined;
    this.#fixtures = [];
    // A network that failed to start has nothing to stop.
    if (started !== undefined) await started.then(({ network }) => network.stop(), () => undefined);
  }
}

/**
 * A request to the node's URL that the node answers in this process, with the same JSON-RPC text, status
 * and headers as over HTTP: a socket per request (ethers opens one each time) would cost more than the
 * private transaction itself.
 */
function inProcessRequest(node: RunningNode): FetchRequest {
  const request = new FetchRequest(node.url);
  request.getUrlFunc = async (req) => {
    const reply = await node.answer(Buffer.from(req.body ?? new Uint8Array()).toString("utf8"), req.headers);
    return {
      statusCode: reply.status,
      statusMessage: "",
      headers: { "content-type": "application/json" },
      body: Buffer.from(JSON.stringify(reply.body), "utf8"),
    };
  };
  return request;
}
