import { expect } from "chai";
import * as ethers from "ethers";
import fc from "fast-check";
import { parseSignature, recoverPublicKey } from "../../src/core/signature";

// The codec reads a signature without ethers (the viem entry point has none): every form ethers'
// Signature.from reads must give the same r, s and recovery bit, and what ethers refuses is refused.

const DIGEST = ethers.keccak256("0x1234");
const wallet = ethers.Wallet.createRandom();
const signed = wallet.signingKey.sign(DIGEST);
/** A signature whose recovery bit is 1, whichever the random key gave above. */
const odd = (() => {
  for (let i = 0; ; i++) {
    const signature = wallet.signingKey.sign(ethers.keccak256(ethers.toBeArray(i + 1)));
    if (signature.yParity === 1) return signature;
  }
})();

const same = (parsed: ReturnType<typeof parseSignature>, expected: ethers.Signature) =>
  expect(parsed).to.deep.equal({
    r: expected.r,
    s: expected.s,
    yParity: expected.yParity,
    v: expected.v,
    serialized: expected.serialized,
  });

describe("core signature: ethers' forms read without ethers", function () {
  it("reads every form ethers writes, for both recovery bits", function () {
    for (const signature of [signed, odd]) {
      same(parseSignature(signature), signature); // an ethers Signature: r, s, v, yParity, yParityAndS
      same(parseSignature(signature.serialized), signature);
      same(parseSignature(signature.compactSerialized), signature);
      same(parseSignature({ r: signature.r, yParityAndS: signature.yParityAndS }), signature);
      same(parseSignature({ r: signature.r, s: signature.s, yParity: signature.yParity }), signature);
      same(parseSignature({ r: signature.r, s: signature.s, v: signature.v }), signature);
      // viem's Signature: v as a bigint; an EIP-155 v (chain ID 1337); v 0/1 at the end of 65 bytes.
      same(parseSignature({ r: signature.r, s: signature.s, v: BigInt(signature.v) }), signature);
      same(parseSignature({ r: signature.r, s: signature.s, v: 35 + 2 * 1337 + signature.yParity }), signature);
      same(parseSignature(signature.serialized.slice(0, -2) + `0${signature.yParity}`), signature);
    }
  });

  it("agrees with ethers on any signature", function () {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (digest) => {
        const signature = wallet.signingKey.sign(digest);
        same(parseSignature(signature.serialized), ethers.Signature.from(signature.serialized));
        expect(recoverPublicKey(ethers.hexlify(digest), signature)).to.equal(wallet.signingKey.publicKey);
      }),
      { numRuns: 20 },
    );
  });

  it("refuses what ethers refuses, saying what is wrong", function () {
    const { r, s, yParityAndS } = signed;
    const highS = `0x8${s.slice(3)}`;
    const cases: [unknown, RegExp][] = [
      ["0x1234", /64 or 65 bytes/],
      [signed.serialized.slice(0, -2) + "05", /encodes no recovery bit/],
      [{ r: "0x12", s, v: 27 }, /r must be 32 bytes/],
      [{ r, v: 27 }, /needs s or yParityAndS/],
      [{ r, s }, /needs v, yParity or yParityAndS/],
      [{ r, s, v: 27, yParity: 1 }, /disagree/],
      [{ r, s: ethers.zeroPadValue("0x01", 32), yParityAndS }, /s and yParityAndS disagree/],
      [{ r, s: highS, v: 27 }, /not canonical/],
      [{ r, s, v: 30 }, /encodes no recovery bit/],
      [null, /hex or an object/],
    ];
    for (const [value, message] of cases) {
      expect(() => parseSignature(value as string), String(message)).to.throw(TypeError, message);
    }
  });
});
