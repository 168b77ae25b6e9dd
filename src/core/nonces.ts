/** One group's nonces for one signer: a queue so nonces go out in order, and an epoch per resynchronisation. */
export class GroupNonces {
  next: number | null = null;
  epoch = 0;
  #queue: Promise<unknown> = Promise.resolve();

  /** Runs tasks one at a time, in call order, whatever each one's outcome. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * A signer's private nonces, one GroupNonces per privacy group (a flexible group counts nonces per sender and
 * group). `count` reads the chain's count (priv_getTransactionCount of the signer's account in the group).
 */
export class PrivateNonceManager {
  readonly #groups = new Map<string, GroupNonces>();
  readonly #count: (privacyGroupId: string) => Promise<number>;

  constructor(count: (privacyGroupId: string) => Promise<number>) {
    this.#count = count;
  }

  /** The group's nonces, created on first use. */
  group(privacyGroupId: string): GroupNonces {
    let nonces = this.#groups.get(privacyGroupId);
    if (nonces === undefined) {
      nonces = new GroupNonces();
      this.#groups.set(privacyGroupId, nonces);
    }
    return nonces;
  }

  /** The chain's count for the group; starts a new epoch, since nonces counted before may be stale. */
  async resync(privacyGroupId: string, nonces: GroupNonces): Promise<number> {
    const count = await this.#count(privacyGroupId);
    nonces.epoch++;
    return count;
  }

  /**
   * Numbers one send in the group: `send` gets the next nonce (counted from the chain first if needed), one
   * send at a time in call order. A nonce someone else used (`usedElsewhere` says so of the refusal: another
   * process with the same key) is counted again, a few times. Returns what `send` returned, with its nonce
   * and the epoch it was counted in. Shared by the ethers signer and the viem actions.
   */
  submit<T>(
    privacyGroupId: string,
    send: (nonce: number) => Promise<T>,
    usedElsewhere: (error: unknown) => boolean,
  ): Promise<{ value: T; nonce: number; epoch: number }> {
    const nonces = this.group(privacyGroupId);
    const attempt = async (retry: number): Promise<{ value: T; nonce: number; epoch: number }> => {
      nonces.next ??= await this.resync(privacyGroupId, nonces);
      const nonce = nonces.next;
      try {
        const value = await send(nonce);
        // Unless an earlier transaction's failure, seen during the send, asked for a recount meanwhile.
        if (nonces.next === nonce) nonces.next = nonce + 1;
        return { value, nonce, epoch: nonces.epoch };
      } catch (error) {
        if (!usedElsewhere(error) || retry >= 3) throw error; // refused before distribution: the nonce stays free
        nonces.next = null;
        return attempt(retry + 1);
      }
    };
    return nonces.exclusive(() => attempt(0));
  }

  /** The next nonce in the group, resynchronising first if needed. */
  next(privacyGroupId: string): Promise<number> {
    const nonces = this.group(privacyGroupId);
    return nonces.exclusive(async () => {
      nonces.next ??= await this.resync(privacyGroupId, nonces);
      return nonces.next;
    });
  }

  /** Forgets the nonces it counted, so the next send asks the chain again. */
  reset(): void {
    for (const nonces of this.#groups.values()) nonces.next = null;
  }
}
