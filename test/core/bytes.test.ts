import { expect } from "chai";
import * as ethers from "ethers";
import fc from "fast-check";
import {
  checksumAddress,
  isHexBytes,
  keccak256,
  paddedHex,
  publicKeyToAddress,
  quantityBytes,
  toBigInt,
  toBytes,
  toHex,
} from "../../src/core/bytes";
import { decodeRlp, encodeRlp } from "../../src/core/rlp";

// The core's primitives replace ethers' on the codec's path (so that a viem project needs no ethers):
// each is checked against the ethers function it replaces, which the client used before.

describe("core bytes: hex, numbers, keccak and addresses without ethers", function () {
  it("reads 0x hex of whole bytes in any case and nothing else", function () {
    expect(isHexBytes("0x")).to.equal(true);
    expect(isHexBytes("0xAbCd")).to.equal(true);
    for (const bad of ["abcd", "0xabc", "0xzz", 12, null]) expect(isHexBytes(bad)).to.equal(false);
    expect(toHex("0xAbCd")).to.equal("0xabcd");
    const bytes = Uint8Array.from([1, 2]);
    expect(toBytes(bytes)).to.equal(bytes);
    expect(() => toBytes("0x123")).to.throw(TypeError, /whole bytes/);
  });

  it("hashes as ethers' keccak256", function () {
    expect(keccak256("0x")).to.equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (data) => keccak256(data) === ethers.keccak256(data)));
  });

  it("reads integers as ethers' getBigInt does, and refuses what is not one", function () {
    expect(toBigInt(7n)).to.equal(7n);
    expect(toBigInt(7)).to.equal(7n);
    expect(toBigInt("0x1f")).to.equal(31n);
    expect(toBigInt("-12")).to.equal(-12n);
    expect(toBigInt("-0x10")).to.equal(-16n);
    for (const bad of [1.5, 2 ** 53, "", "1.5", "0x", "ten", {} as unknown as string]) {
      expect(() => toBigInt(bad)).to.throw(TypeError);
    }
  });

  it("writes a quantity as minimal big-endian bytes, as ethers' toBeArray does", function () {
    expect(quantityBytes(0)).to.deep.equal(new Uint8Array());
    expect(() => quantityBytes(-1n)).to.throw(RangeError);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (value) =>
        ethers.hexlify(quantityBytes(value)) === ethers.hexlify(ethers.toBeArray(value)),
      ),
    );
    expect(paddedHex(255n, 2)).to.equal("0x00ff");
  });

  it("checksums addresses as ethers' getAddress, and refuses a bad checksum", function () {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
        const lower = ethers.hexlify(bytes);
        const upper = `0x${lower.slice(2).toUpperCase()}`;
        const expected = ethers.getAddress(lower);
        return checksumAddress(lower) === expected && checksumAddress(upper) === expected && checksumAddress(expected) === expected;
      }),
    );
    const good = "0xFE3B557E8Fb62b89F4916B721be55cEb828dBd73";
    expect(checksumAddress(good.toLowerCase())).to.equal(good);
    expect(() => checksumAddress("0xfE3B557E8Fb62b89F4916B721be55cEb828dBd73")).to.throw(TypeError, /checksum/);
    for (const bad of ["0x1234", "fe3b557e8fb62b89f4916b721be55ceb828dbd73", 5 as unknown as string]) {
      expect(() => checksumAddress(bad)).to.throw(TypeError, /20-byte/);
    }
  });

  it("derives an address from a public key as ethers' computeAddress", function () {
    const wallet = ethers.Wallet.createRandom();
    expect(publicKeyToAddress(wallet.signingKey.publicKey)).to.equal(wallet.address);
  });
});

describe("core rlp: ethers' shapes, @ethereumjs/rlp's encoding", function () {
  type Tree = string | Tree[];
  const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.uint8Array({ maxLength: 70 }).map((bytes) => ethers.hexlify(bytes)),
      fc.array(tie("node"), { maxLength: 4 }),
    ),
  })).node;

  it("encodes and decodes as ethers' encodeRlp and decodeRlp", function () {
    fc.assert(
      fc.property(tree, (item) => {
        const encoded = encodeRlp(item);
        expect(encoded).to.equal(ethers.encodeRlp(item));
        expect(decodeRlp(encoded)).to.deep.equal(ethers.decodeRlp(encoded));
      }),
    );
  });

  it("refuses trailing bytes and a single byte written long, as Besu's reader does", function () {
    expect(() => decodeRlp("0x0102")).to.throw();
    expect(() => decodeRlp("0x8101")).to.throw();
  });
});
