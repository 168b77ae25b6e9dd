import { expect } from "chai";
import { Wallet, decodeRlp, encodeRlp, getAddress, hexlify, keccak256, toBeArray } from "ethers";
import {
  decodeAddBlob,
  decodeVersionedPayload,
  encodeAddBlob,
  encodeVersionedPayload,
  PrivateTransaction,
  PrivateTransactionError,
  decodePrivateTransaction,
  getPrivateContractAddress,
  recoverSigner,
} from "../../src/core/codec";
import { InvalidPrivacyGroupIdError, InvalidTesseraKeyError, SdkErrorCode } from "../../src/core/errors";
import type { PrivateSignature } from "../../src/core/signature";
import { BESU_DOCS_SIGNED_EXAMPLE, WEB3JS_QUORUM_FIXTURE } from "../helpers/signed-examples";

const SECP256K1_N = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
const GROUP = "kAbelwaVW7okoEn1+okO+AbA4Hhz/7DaCOWVQz9nx5M=";

/** Besu's docs example with one RLP item replaced. */
function docsWith(index: number, item: unknown): string {
  const items = decodeRlp(BESU_DOCS_SIGNED_EXAMPLE) as unknown[];
  items[index] = item;
  return encodeRlp(items as string[]);
}

function refusal(serialized: string): unknown {
  try {
    decodePrivateTransaction(serialized);
  } catch (error) {
    return error;
  }
  throw new Error("decoded");
}

function expectReason(
  serialized: string,
  code: SdkErrorCode,
  type: new (...args: never[]) => Error = PrivateTransactionError,
): void {
  const error = refusal(serialized);
  expect(error).to.be.instanceOf(type);
  expect((error as PrivateTransactionError).code).to.equal(code);
}

describe("core codec: the lenient decode Besu's network shares with the client", function () {
  it("decodes Besu's documentation example as the strict class reads it", function () {
    const tx = decodePrivateTransaction(BESU_DOCS_SIGNED_EXAMPLE);
    const strict = PrivateTransaction.from(BESU_DOCS_SIGNED_EXAMPLE);
    expect(tx).to.include({
      nonce: 0n,
      gasPrice: 1000n,
      gasLimit: 3_000_000n,
      to: null,
      value: 0n,
      v: 27n,
      yParity: 0,
    });
    expect(tx.chainId).to.equal(undefined);
    expect(tx.privateFor).to.deep.equal(strict.privateFor);
    expect(tx.privacyGroupId).to.equal(undefined);
    expect(tx.privateFrom).to.equal(strict.privateFrom);
    expect(tx.restriction).to.equal("restricted");
    expect(tx.data).to.equal(strict.data);
    expect(tx.raw).to.equal(BESU_DOCS_SIGNED_EXAMPLE);
    expect(tx.signingHash).to.equal(strict.unsignedHash);
  });

  it("reads the EIP-155 chain ID and signing hash of web3js-quorum's fixture", function () {
    const tx = decodePrivateTransaction(WEB3JS_QUORUM_FIXTURE.rlp);
    const strict = PrivateTransaction.from(WEB3JS_QUORUM_FIXTURE.rlp);
    expect(tx).to.include({ chainId: 2018n, signingHash: strict.unsignedHash });
    expect(recoverSigner(tx)).to.equal(strict.from!.toLowerCase());
  });

  it("recovers the signer with and without a chain ID", function () {
    const wallet = Wallet.createRandom();
    for (const chainId of [null, 1337n]) {
      const signed = PrivateTransaction.from({ chainId, privateFrom: GROUP, privacyGroupId: GROUP, nonce: 3 });
      signed.signature = wallet.signingKey.sign(signed.unsignedHash);
      expect(recoverSigner(decodePrivateTransaction(signed.serialized))).to.equal(wallet.address.toLowerCase());
    }
  });

  it("takes the hex with 0x, 0X or none, in any case, and keeps it lower case", function () {
    const body = BESU_DOCS_SIGNED_EXAMPLE.slice(2);
    for (const serialized of [body, "0X" + body.toUpperCase(), "0x" + body.toUpperCase()]) {
      expect(decodePrivateTransaction(serialized).raw).to.equal(BESU_DOCS_SIGNED_EXAMPLE);
    }
  });

  it("decodes what Besu decodes and the strict class refuses: any restriction, a key of any length", function () {
    const odd = docsWith(11, hexlify(Buffer.from("private")));
    expect(decodePrivateTransaction(odd).restriction).to.equal("unsupported");
    expect(() => PrivateTransaction.from(odd))
      .to.throw(PrivateTransactionError)
      .with.property("code", SdkErrorCode.UnknownRestriction);
    const shortKey = docsWith(9, "0x0102030405");
    expect(decodePrivateTransaction(shortKey).privateFrom).to.equal("AQIDBAU=");
    expect(() => PrivateTransaction.from(shortKey)).to.throw(InvalidTesseraKeyError);
  });

  it("names each fault it refuses", function () {
    const items = decodeRlp(BESU_DOCS_SIGNED_EXAMPLE) as string[];
    expectReason("0xzz", SdkErrorCode.MalformedTransaction);
    expectReason("0x", SdkErrorCode.MalformedTransaction);
    expectReason("0x80", SdkErrorCode.MalformedTransaction);
    expectReason(encodeRlp(items.slice(0, 11)), SdkErrorCode.MalformedTransaction);
    expectReason(docsWith(2, ["0x01"]), SdkErrorCode.MalformedTransaction);
    expectReason(docsWith(10, ["0x01", ["0x02"]]), SdkErrorCode.MalformedTransaction);
    expectReason(docsWith(0, "0x0001"), SdkErrorCode.LeadingZero);
    expectReason(docsWith(3, "0x" + "11".repeat(21)), SdkErrorCode.InvalidField);
    expectReason(docsWith(7, "0x"), SdkErrorCode.InvalidField);
    expectReason(docsWith(8, toBeArray(SECP256K1_N)), SdkErrorCode.InvalidField);
    expectReason(docsWith(10, "0x" + "22".repeat(31)), SdkErrorCode.WrongLength, InvalidPrivacyGroupIdError);
    expectReason(docsWith(6, "0x24"), SdkErrorCode.UnsupportedV);
  });

  it("checks v last, as Besu refuses it outside its decode path", function () {
    const items = decodeRlp(docsWith(6, "0x1d")) as string[];
    expectReason(encodeRlp(items), SdkErrorCode.UnsupportedV);
    items[1] = "0x0001";
    expectReason(encodeRlp(items), SdkErrorCode.LeadingZero);
  });

  it("recovers with the primitive it is given, and names a signature without a signer", function () {
    const tx = decodePrivateTransaction(BESU_DOCS_SIGNED_EXAMPLE);
    const seen: { digest: string; signature: PrivateSignature }[] = [];
    const address = recoverSigner(tx, (digest, signature) => {
      seen.push({ digest, signature });
      return "0xABCDEF0000000000000000000000000000000000";
    });
    expect(address).to.equal("0xabcdef0000000000000000000000000000000000");
    expect(seen[0].digest).to.equal(tx.signingHash);
    expect(seen[0].signature.yParity).to.equal(tx.yParity);
    const failing = (): never => {
      throw new Error("no point on the curve");
    };
    expect(() => recoverSigner(tx, failing))
      .to.throw(PrivateTransactionError)
      .with.property("code", SdkErrorCode.InvalidSignature);
  });
});

describe("core codec: the strict class's setters and copies", function () {
  it("refuses data and a signature it cannot read, and clones what it holds", function () {
    const tx = PrivateTransaction.from(BESU_DOCS_SIGNED_EXAMPLE);
    expect(tx.isSigned()).to.equal(true);
    const copy = tx.clone();
    expect(copy).to.not.equal(tx);
    expect(copy.serialized).to.equal(tx.serialized);
    expect(() => (copy.data = "0xzz"))
      .to.throw(PrivateTransactionError)
      .with.property("code", SdkErrorCode.InvalidField);
    expect(() => (copy.signature = "0x1234"))
      .to.throw(PrivateTransactionError)
      .with.property("code", SdkErrorCode.InvalidField);
    copy.signature = null;
    expect(copy.isSigned()).to.equal(false);
    expect(copy.fromPublicKey).to.equal(null);
  });
});

describe("core codec: Besu's private contract address", function () {
  const sender = "0xfe3b557e8fb62b89f4916b721be55ceb828dbd73";

  /** The formula written out: keccak256(RLP([sender, nonce, groupId]))[12:], nonce 0 as the empty string. */
  const byHand = (nonce: number) =>
    getAddress(
      "0x" +
        keccak256(encodeRlp([sender, nonce === 0 ? "0x" : toBeArray(nonce), Buffer.from(GROUP, "base64")])).slice(-40),
    );

  it("is the last 20 bytes of keccak256(RLP([sender, nonce, privacyGroupId])), checksummed", function () {
    expect(getPrivateContractAddress(sender, 0, GROUP)).to.equal("0xF5CDDf842Acfee4197E5c76d0c6486B4F718b41f");
    for (const nonce of [0, 1, 127, 128, 70_000]) {
      expect(getPrivateContractAddress(sender, BigInt(nonce), GROUP)).to.equal(byHand(nonce));
    }
  });

  it("refuses a group ID that is not 32 bytes", function () {
    expect(() => getPrivateContractAddress(sender, 0, "AQID")).to.throw(InvalidPrivacyGroupIdError);
  });
});

describe("core codec: the enclave's versioned payload and the add blob (Besu's formats around a private transaction)", function () {
  const version = "0x" + "ab".repeat(32);

  it("a versioned payload is RLP([transaction, version]), both ways", function () {
    const payload = encodeVersionedPayload(BESU_DOCS_SIGNED_EXAMPLE, version);
    expect(decodeRlp(payload)).to.deep.equal([BESU_DOCS_SIGNED_EXAMPLE, version]);
    expect(decodeVersionedPayload(payload)).to.deep.equal({ raw: BESU_DOCS_SIGNED_EXAMPLE, version });
  });

  it("refuses a payload that is not two byte strings", function () {
    for (const bad of [encodeRlp(["0x01"]), encodeRlp(["0x01", "0x02", "0x03"]), encodeRlp([["0x01"], "0x02"]), encodeRlp("0x01")]) {
      expect(() => decodeVersionedPayload(Uint8Array.from(Buffer.from(bad.slice(2), "hex")))).to.throw(/RLP\(\[transaction, version\]\)/);
    }
  });

  it("an add blob is one [transaction, marker hash, state root] list per transaction, both ways", function () {
    const entries = [
      { raw: BESU_DOCS_SIGNED_EXAMPLE, markerHash: keccak256("0x01"), stateRoot: keccak256("0x02") },
      { raw: WEB3JS_QUORUM_FIXTURE.rlp, markerHash: keccak256("0x03"), stateRoot: keccak256("0x04") },
    ];
    const blob = encodeAddBlob(entries);
    expect(decodeRlp(blob)).to.deep.equal(entries.map((e) => [e.raw, e.markerHash, e.stateRoot]));
    expect(decodeAddBlob(blob)).to.deep.equal(entries);
    expect(decodeAddBlob(encodeAddBlob([]))).to.deep.equal([]);
  });

  it("refuses an add blob that is not such lists", function () {
    for (const bad of [encodeRlp("0x01"), encodeRlp([["0x01", "0x02"]]), encodeRlp([["0x01", "0x02", ["0x03"]]])]) {
      expect(() => decodeAddBlob(Uint8Array.from(Buffer.from(bad.slice(2), "hex")))).to.throw(/an add blob is RLP/);
    }
  });
});
