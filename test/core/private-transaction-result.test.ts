import { expect } from "chai";
import { parsePrivateTransactionResult } from "../../src/core/private-transaction-result";

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

describe("core: a priv_getPrivateTransaction result, read for both clients", function () {
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
});
