import { expect } from "chai";
import { PrivateNonceManager } from "../../src/core/nonces";

// PrivateNonceManager.submit on its own, with a count that a test controls: the nonce rules both clients
// share (the ethers signer and the viem actions). test/besu/nonces.test.ts runs them against the network.
describe("client: PrivateNonceManager.submit, the numbered send both clients share", function () {
  const GROUP = "group";

  it("numbers sends in call order from the chain's count, one at a time", async function () {
    let counts = 0;
    const manager = new PrivateNonceManager(async () => (counts++, 5));
    const sent = await Promise.all(
      [0, 1, 2].map(() =>
        manager.submit(
          GROUP,
          async (nonce) => nonce,
          () => false,
        ),
      ),
    );
    expect(sent.map((s) => s.nonce)).to.deep.equal([5, 6, 7]);
    expect(sent.map((s) => s.value)).to.deep.equal([5, 6, 7]);
    expect(counts).to.equal(1);
  });

  it("counts again when a nonce was used elsewhere, three times at most, then throws the refusal", async function () {
    let chain = 0;
    const manager = new PrivateNonceManager(async () => chain);
    const tooLow = new Error("Nonce too low");
    let tries = 0;
    const landed = await manager.submit(
      GROUP,
      async (nonce) => {
        tries++;
        if (nonce < 2) {
          chain = 2; // someone else used 0 and 1
          throw tooLow;
        }
        return nonce;
      },
      (error) => error === tooLow,
    );
    expect(landed.nonce).to.equal(2);
    expect(tries).to.equal(2);

    const always = await manager
      .submit(
        GROUP,
        async () => Promise.reject(tooLow),
        (error) => error === tooLow,
      )
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(always).to.equal(tooLow);
  });

  it("keeps a recount asked for during a send, so the next send counts from the chain", async function () {
    let chain = 0;
    const manager = new PrivateNonceManager(async () => chain);
    await manager.submit(
      GROUP,
      async (nonce) => {
        manager.group(GROUP).next = null; // an earlier transaction's failure, seen while this one was sent
        chain = 7;
        return nonce;
      },
      () => false,
    );
    const next = await manager.submit(
      GROUP,
      async (nonce) => nonce,
      () => false,
    );
    expect(next.nonce).to.equal(7);
  });

  it("throws any other refusal at once, leaving the nonce free for the next send", async function () {
    const manager = new PrivateNonceManager(async () => 3);
    const refused = new Error("refused");
    const error = await manager
      .submit(
        GROUP,
        async () => Promise.reject(refused),
        () => false,
      )
      .then(
        () => null,
        (failure: unknown) => failure,
      );
    expect(error).to.equal(refused);
    expect(
      (
        await manager.submit(
          GROUP,
          async (nonce) => nonce,
          () => false,
        )
      ).nonce,
    ).to.equal(3);
  });
});
