import { expect } from "chai";
import { PRIVATE_RECEIPT_READS, type ReceiptWaitFailure, pollPrivateReceipt, privateOutcome } from "../../src/core/receipt";
import { rejection } from "../helpers/client-network";

describe("core: a private receipt's outcome", function () {
  it("reads Besu's status and revert reason", function () {
    expect(privateOutcome("0x1", null)).to.equal("success");
    expect(privateOutcome(1, "0x08c379a0")).to.equal("success");
    expect(privateOutcome("0x2", null)).to.equal("invalid");
    expect(privateOutcome("0x0", "0x08c379a0")).to.equal("reverted");
    expect(privateOutcome("0x0", "0x")).to.equal("dropped");
    expect(privateOutcome(undefined, undefined)).to.equal("dropped");
    expect(privateOutcome("0x0", 42)).to.equal("dropped");
  });
});

// The wait both clients use, read by read: the clients' tests run it against the network (test/besu, test/viem).
describe("core: waiting for a private receipt", function () {
  /** A node whose private receipt appears at read `receiptAt` and whose marker is mined at read `minedAt`. */
  function node(receiptAt: number, minedAt: number) {
    const reads = { private: 0, marker: 0 };
    return {
      reads,
      read: {
        privateReceipt: async () => (++reads.private >= receiptAt ? "receipt" : null),
        markerMined: async () => ++reads.marker >= minedAt,
      },
    };
  }
  const failed = (failure: ReceiptWaitFailure) => new Error(failure);

  it("returns the private receipt at the first read, without reading the marker", async function () {
    const { reads, read } = node(1, 1);
    expect(await pollPrivateReceipt(read, { timeout: 1000, pollingInterval: 0 }, failed)).to.equal("receipt");
    expect(reads).to.deep.equal({ private: 1, marker: 0 });
  });

  it("reads the marker until it is mined, then not again", async function () {
    const { reads, read } = node(5, 3);
    expect(await pollPrivateReceipt(read, { timeout: 10_000, pollingInterval: 0 }, failed)).to.equal("receipt");
    expect(reads).to.deep.equal({ private: 5, marker: 3 });
  });

  it("gives up a few reads after the marker is mined: the node is not a member", async function () {
    const { reads, read } = node(Infinity, 2);
    const error = await rejection(pollPrivateReceipt(read, { timeout: 3_600_000, pollingInterval: 0 }, failed));
    expect((error as Error).message).to.equal("unavailable");
    expect(reads).to.deep.equal({ private: PRIVATE_RECEIPT_READS + 1, marker: 2 });
  });

  it("times out while the marker is not mined, and says which", async function () {
    const { read } = node(Infinity, Infinity);
    const error = await rejection(pollPrivateReceipt(read, { timeout: 20, pollingInterval: 5 }, failed));
    expect((error as Error).message).to.equal("timeout");
  });

  it("at the timeout with the marker mined, says unavailable", async function () {
    const { reads, read } = node(Infinity, 1);
    const error = await rejection(pollPrivateReceipt(read, { timeout: 0, pollingInterval: 0 }, failed));
    expect((error as Error).message).to.equal("unavailable");
    expect(reads.private).to.equal(1);
  });
});
