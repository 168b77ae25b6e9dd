/**
 * Chai matchers for private transactions. hardhat-chai-matchers' revert matchers judge a transaction by
 * whether sending it threw, or by its public receipt; a private transaction's send succeeds and its
 * marker's public receipt has status 1 even when the private call reverted, so `.not.to.be.reverted…`
 * passed on a private revert. Installed after them, this plugin first settles a private transaction
 * (its `wait()`): a revert becomes the rejection with revert data those matchers decode, a drop
 * rejects with the drop error (so both `.to` and `.not.to` fail on it), and a success resolves to a
 * receipt with status 1. Public subjects go to the original matchers untouched.
 * `droppedPrivately(reason?)` asserts a drop.
 */
import { PrivacyProvider } from "../besu/provider";
import { type DropReason, PrivateTransactionDroppedError, PrivateTransactionRevertedError } from "../besu/errors";

/** The parts of chai this plugin uses (chai 4 and 5 alike), so the package needs no chai types. */
export interface ChaiLike {
  Assertion: {
    overwriteMethod(name: string, method: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown): void;
    overwriteProperty(name: string, getter: (original: () => unknown) => () => unknown): void;
    addMethod(name: string, method: (...args: unknown[]) => unknown): void;
  };
  AssertionError: new (message: string) => Error;
}

interface AssertionThis {
  _obj: unknown;
  __flags: { negate?: boolean };
  then?: unknown;
  catch?: unknown;
}

/** The revert matchers whose subject is a transaction (hardhat-chai-matchers 2, hardhat-ethers-chai-matchers 3). */
const REVERT_METHODS = ["revertedWith", "revertedWithCustomError", "revertedWithPanic", "revertedWithoutReason"];

/** Something a private send returned: an ethers response from a group's runner, or a PrivateSigner's SentPrivateTransaction. */
function isPrivateTransaction(value: unknown): value is { wait(): Promise<unknown> } {
  if (typeof value !== "object" || value === null || typeof (value as { wait?: unknown }).wait !== "function") return false;
  return (value as { provider?: unknown }).provider instanceof PrivacyProvider || typeof (value as { markerHash?: unknown }).markerHash === "string";
}

/**
 * The subject as the revert matchers should see it: a public subject as it is; for a private transaction,
 * `{ status: 1 }` on success, or the rejection with its revert or drop error. Made synchronously, so that
 * `.withArgs` sees the flags the original matcher sets.
 */
function privateOutcome(subject: unknown): Promise<unknown> {
  return Promise.resolve(subject).then((value) => (isPrivateTransaction(value) ? value.wait().then(() => ({ status: 1 })) : value));
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- chai's assertion types live in this global namespace
  namespace Chai {
    interface Assertion {
      /** The private transaction was dropped (not executed), for `reason` if given. */
      droppedPrivately(reason?: DropReason): Promise<void>;
    }
  }
}

/** Installs the matchers: `chai.use(privateTransactionMatchers)`, after hardhat-chai-matchers. */
export function privateTransactionMatchers(chai: ChaiLike): void {
  for (const name of REVERT_METHODS) {
    chai.Assertion.overwriteMethod(name, (original) =>
      function (this: AssertionThis, ...args: unknown[]) {
        this._obj = privateOutcome(this._obj);
        return original.apply(this, args);
      },
    );
  }
  chai.Assertion.overwriteProperty("reverted", (original) =>
    function (this: AssertionThis) {
      this._obj = privateOutcome(this._obj);
      return original.call(this);
    },
  );
  chai.Assertion.addMethod("droppedPrivately", function (this: AssertionThis, ...args: unknown[]) {
    const reason = args[0] as DropReason | undefined;
    const negated = this.__flags.negate === true;
    const derived = (async () => {
      const value = await this._obj;
      if (!isPrivateTransaction(value)) throw new chai.AssertionError("droppedPrivately: the subject is not a private transaction (send it through a group's runner or a PrivateSigner)");
      const failure = await value.wait().then(
        () => undefined,
        (error: unknown) => error,
      );
      const dropped = failure instanceof PrivateTransactionDroppedError;
      const describe = (): string =>
        failure === undefined
          ? "it succeeded"
          : failure instanceof PrivateTransactionRevertedError
            ? `it reverted (${failure.errorName ?? failure.data})`
            : `it failed: ${(failure as Error).message}`;
      if (negated) {
        if (dropped) throw new chai.AssertionError("expected the private transaction not to be dropped, but it was");
        return;
      }
      if (!dropped) throw new chai.AssertionError(`expected the private transaction to be dropped, but ${describe()}`);
      const actual = (failure as PrivateTransactionDroppedError).reason;
      if (reason !== undefined && actual !== reason) {
        throw new chai.AssertionError(`expected the private transaction to be dropped as "${reason}", but it was dropped as "${actual}"`);
      }
    })();
    this.then = derived.then.bind(derived);
    this.catch = derived.catch.bind(derived);
    return this;
  });
}
