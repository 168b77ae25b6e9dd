import { expect } from "chai";
import { parsePrivateLog, parsePrivateReceipt, parsePrivateTransactionResult } from "../../src/core/rpc-results";

// A priv_getPrivateTransaction result as Besu 25.5 writes it (quantities in hex, addresses in lower case).
const BESU_RESULT = {
  from: "0xfe3b557e8fb62b89f4916b721be55ceb828dbd73",
  gas: "0x2dc6c0",
  gasPrice: "0x0",
  hash: "0x" + "ab".repeat(32),
  input: "0xd09de08a",
  nonce: "0x1f",
  to: "0x627306090abab3a6e1400e9345bc60c78a8bef57",
  value: "0x0",
  v: "0xa9e",
  r: "0x" + "11".repeat(32),
  s: "0x" + "22".repeat(32),
  privateFrom: "BULeR8JyUWhiuuCMU/HLA0Q5pzkYT+cHII3ZKBey3Bo=",
  privacyGroupId: "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
  restriction: "restricted",
};

describe("core: Besu's priv_ results, read for both clients", function () {
  it("keeps Besu's names, reads quantities as numbers and checksums the addresses", function () {
    expect(parsePrivateTransactionResult(BESU_RESULT)).to.deep.equal({
      from: "0xFE3B557E8Fb62b89F4916B721be55cEb828dBd73",
      to: "0x627306090abaB3A6e1400e9345bC60c78a8BEf57",
      nonce: 31,
      gas: 3_000_000n,
      gasPrice: 0n,
      input: "0xd09de08a",
      value: 0n,
      v: 2718n,
      r: BigInt("0x" + "11".repeat(32)),
      s: BigInt("0x" + "22".repeat(32)),
      privateFrom: BESU_RESULT.privateFrom,
      privacyGroupId: BESU_RESULT.privacyGroupId,
      privateFor: null,
      restriction: "restricted",
    });
  });

  it("a creation has no `to`; a legacy transaction has privateFor and no group", function () {
    const { privacyGroupId: _, ...legacy } = BESU_RESULT;
    const parsed = parsePrivateTransactionResult({ ...legacy, to: null, privateFor: ["QfeDAys9MPDs2XHExtc84jKGHxZg/aj52DTh0vtA3Xc="] });
    expect([parsed.to, parsed.privacyGroupId, parsed.privateFor]).to.deep.equal([null, null, ["QfeDAys9MPDs2XHExtc84jKGHxZg/aj52DTh0vtA3Xc="]]);
  });

  it("takes an absent value as 0 and an absent input as 0x", function () {
    const { value: _value, input: _input, ...bare } = BESU_RESULT;
    const parsed = parsePrivateTransactionResult(bare);
    expect([parsed.value, parsed.input]).to.deep.equal([0n, "0x"]);
  });

  const LOG = {
    address: "0x627306090abab3a6e1400e9345bc60c78a8bef57",
    topics: ["0x" + "aa".repeat(32)],
    data: "0x" + "00".repeat(31) + "04",
    blockNumber: "0x10",
    blockHash: "0x" + "bb".repeat(32),
    transactionHash: "0x" + "cc".repeat(32),
    transactionIndex: "0x0",
    logIndex: "0x2",
  };
  const RECEIPT = {
    commitmentHash: "0x" + "cc".repeat(32),
    blockHash: LOG.blockHash,
    blockNumber: "0x10",
    transactionIndex: "0x0",
    from: BESU_RESULT.from,
    to: BESU_RESULT.to,
    contractAddress: null,
    output: "0x",
    privateFrom: BESU_RESULT.privateFrom,
    privacyGroupId: BESU_RESULT.privacyGroupId,
    status: "0x1",
    logs: [LOG],
    logsBloom: "0x" + "00".repeat(256),
  };

  it("a private log: numbers, a checksummed address, removed only when Besu says so", function () {
    expect(parsePrivateLog(LOG)).to.deep.equal({
      address: "0x627306090abaB3A6e1400e9345bC60c78a8BEf57",
      topics: LOG.topics,
      data: LOG.data,
      blockNumber: 16,
      blockHash: LOG.blockHash,
      transactionHash: LOG.transactionHash,
      transactionIndex: 0,
      logIndex: 2,
      removed: false,
    });
    const { logIndex: _l, transactionIndex: _t, topics: _topics, ...bare } = LOG;
    expect(parsePrivateLog({ ...bare, removed: true })).to.include({ logIndex: 0, transactionIndex: 0, removed: true });
    expect(parsePrivateLog(bare).topics).to.deep.equal([]);
  });

  it("a private receipt: its marker hash, outcome and logs", function () {
    const receipt = parsePrivateReceipt(RECEIPT, "0x" + "dd".repeat(32));
    expect(receipt).to.deep.include({
      markerHash: RECEIPT.commitmentHash, // Besu's own field wins over the hash asked for
      blockNumber: 16,
      transactionIndex: 0,
      from: "0xFE3B557E8Fb62b89F4916B721be55cEb828dBd73",
      to: "0x627306090abaB3A6e1400e9345bC60c78a8BEf57",
      contractAddress: null,
      status: 1,
      outcome: "success",
      revertReason: null,
      privateFor: null,
      logsBloom: RECEIPT.logsBloom,
    });
    expect(receipt.logs).to.deep.equal([parsePrivateLog(LOG)]);
  });

  it("a receipt without Besu's optional fields: the hash asked for, no logs, a drop when there is no status", function () {
    const { commitmentHash: _c, logs: _logs, logsBloom: _b, status: _s, transactionIndex: _t, output: _o, privacyGroupId: _g, ...bare } = RECEIPT;
    const receipt = parsePrivateReceipt({ ...bare, to: null, contractAddress: BESU_RESULT.to, privateFor: ["QfeDAys9MPDs2XHExtc84jKGHxZg/aj52DTh0vtA3Xc="] }, "0x" + "dd".repeat(32));
    expect(receipt).to.deep.include({
      markerHash: "0x" + "dd".repeat(32),
      to: null,
      contractAddress: "0x627306090abaB3A6e1400e9345bC60c78a8BEf57",
      output: "0x",
      status: 0,
      outcome: "dropped",
      logsBloom: "0x",
      privacyGroupId: null,
      transactionIndex: 0,
    });
    expect([receipt.logs, receipt.privateFor]).to.deep.equal([[], ["QfeDAys9MPDs2XHExtc84jKGHxZg/aj52DTh0vtA3Xc="]]);
    expect(parsePrivateReceipt({ ...RECEIPT, status: "0x0", revertReason: "0x08c379a0" }, "").outcome).to.equal("reverted");
  });
});
