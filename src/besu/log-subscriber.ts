import type { EventFilter, Subscriber } from "ethers";
import type { PrivacyProvider, PrivateSubscription } from "./provider";

/**
 * An ethers event subscriber over priv_subscribe: a contract's `on`, `once` and `off` on a group's runner
 * get the group's logs as the node notifies them, instead of polling priv_getLogs each block. The end of
 * the socket is emitted as the provider's "error" event.
 */
export class PrivateLogSubscriber implements Subscriber {
  #subscription: Promise<PrivateSubscription | null> | null = null;

  constructor(
    private readonly provider: PrivacyProvider,
    private readonly privacyGroupId: string,
    private readonly filter: EventFilter,
  ) {}

  start(): void {
    if (this.#subscription !== null) return;
    const { address, topics } = this.filter;
    this.#subscription = this.provider
      .subscribePrivateLogs(
        this.privacyGroupId,
        { address: address as string | string[] | undefined, topics: topics as (string | string[] | null)[] | undefined },
        {
          onLog: (log) => void this.provider.emit(this.filter, log),
          onEnd: (error) => void this.provider.emit("error", error),
        },
      )
      .catch((error: unknown) => {
        void this.provider.emit("error", error);
        return null;
      });
  }

  stop(): void {
    const subscription = this.#subscription;
    this.#subscription = null;
    // A closed socket has ended it already; priv_unsubscribe would fail.
    void subscription?.then((subscribed) => subscribed?.unsubscribe()).catch(() => undefined);
  }

  pause(): void {
    this.stop();
  }

  resume(): void {
    this.start();
  }
}
