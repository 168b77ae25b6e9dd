import { expect } from "chai";
import { Signature, SigningKey, Wallet, decodeRlp, encodeRlp, hexlify, toBeArray } from "ethers";
import fc from "fast-check";
import {
  InvalidPrivacyGroupIdError,
  PrivateTransaction,
  PrivateTransactionError,
  SdkErrorCode,
  type PrivateTransactionLike,
} from "../../src";
import { BESU_DOCS_SIGNED_EXAMPLE, WEB3JS_QUORUM_FIXTURE } from "../helpers/signed-examples";

// web3js-quorum 22.4.0 is the oracle: its own class signs and serializes, we compare bytes.
type OracleTransaction = {
  nonce: unknown;
  gasPrice: unknown;
  gasLimit: unknown;
  to: unknown;
  value: unknown;
  data: unknown;
  v: unknown;
  r: unknown;
  s: unknown;
  privateFrom: unknown;
  privateFor: unknown;
  privacyGroupId: unknown;
  restriction: unknown;
  _chainId: number;
  sign(privateKey: Buffer): void;
  serialize(): Buffer;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const OraclePrivateTransaction = require("web3js-quorum/src/privateTransaction") as new (
  data?: unknown,
) => OracleTransaction;

const ALICE = "A1aVtMxLCUHmBVHXoZzzBgPbW/wj5axDpW9X8l91SGo=";
const BOB = "Ko2bVqD+nNlNYL5EE7y3IdOnviftjiizpjRt+HTuFBs=";
const GROUP = "kAbelwaVW7okoEn1+okO+AbA4Hhz/7DaCOWVQz9nx5M=";
const PRIVATE_KEY = "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63";

type Fields = {
  nonce: number;
  gasPrice: bigint;
  gasLimit: bigint;
  to: string | null;
  data: string;
  chainId: number;
  privateFrom: string;
  recipients: { privacyGroupId: string } | { privateFor: string[] };
};

/** Signs with web3js-quorum the way its generateAndSendRawTransaction does, and returns the hex it sends. */
function oracleSerialize(fields: Fields, privateKey: string): string {
  const tx = new OraclePrivateTransaction();
  tx.nonce = fields.nonce;
  tx.gasPrice = fields.gasPrice === 0n ? 0 : "0x" + fields.gasPrice.toString(16);
  tx.gasLimit = "0x" + fields.gasLimit.toString(16);
  if (fields.to !== null) tx.to = fields.to;
  tx.value = 0;
  tx.data = fields.data;
  tx._chainId = fields.chainId;
  tx.privateFrom = fields.privateFrom;
  if ("privateFor" in fields.recipients) tx.privateFor = fields.recipients.privateFor;
  else tx.privacyGroupId = fields.recipients.privacyGroupId;
  tx.restriction = "restricted";
  tx.sign(Buffer.from(privateKey.slice(2), "hex"));
  return "0x" + tx.serialize().toString("hex");
}

function ourSerialize(fields: Fields, privateKey: string): string {
  const tx = PrivateTransaction.from({
    nonce: fields.nonce,
    gasPrice: fields.gasPrice,
    gasLimit: fields.gasLimit,
    to: fields.to,
    value: 0,
    data: fields.data,
    chainId: fields.chainId,
    privateFrom: fields.privateFrom,
    ...fields.recipients,
    restriction: "restricted",
  });
  tx.signature = new SigningKey(privateKey).sign(tx.unsignedHash);
  return tx.serialized;
}

function expectTxError(
  action: () => unknown,
  code: SdkErrorCode,
  errorClass: new (...args: never[]) => Error = PrivateTransactionError,
): void {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(errorClass);
    expect((error as { code: unknown }).code).to.equal(code);
    return;
  }
  expect.fail(`expected ${errorClass.name} with code ${code}`);
}

/** The docs example with one RLP item replaced. */
function docsExampleWith(index: number, item: string | string[]): string {
  const items = decodeRlp(BESU_DOCS_SIGNED_EXAMPLE) as (string | string[])[];
  items[index] = item;
  return encodeRlp(items);
}

const base64Of = (length: number, fill = 7): string => Buffer.alloc(length, fill).toString("base64");

describe("PrivateTransaction", () => {
  describe("serializes byte for byte as web3js-quorum 22.4.0 does", () => {
    const base: Fields = {
      nonce: 0,
      gasPrice: 0n,
      gasLimit: 3_000_000n,
      to: "0x000000000000000000000000000000000000007c",
      data: "0x5aa68ac0",
      chainId: 1337,
      privateFrom: ALICE,
      recipients: { privacyGroupId: GROUP },
    };

    it("a call to a flexible group (privacyGroupId, EIP-155)", () => {
      expect(ourSerialize(base, PRIVATE_KEY)).to.equal(oracleSerialize(base, PRIVATE_KEY));
    });

    it("a contract creation to a legacy group (privateFor, no to)", () => {
      const fields: Fields = { ...base, to: null, nonce: 5, gasPrice: 1000n, recipients: { privateFor: [BOB, ALICE] } };
      expect(ourSerialize(fields, PRIVATE_KEY)).to.equal(oracleSerialize(fields, PRIVATE_KEY));
    });

    it("random fields, keys and chain IDs", () => {
      const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString("base64"));
      fc.assert(
        fc.property(
          fc.record({
            nonce: fc.nat({ max: 2 ** 40 }),
            gasPrice: fc.bigInt({ min: 0n, max: 2n ** 80n }),
            gasLimit: fc.bigInt({ min: 0n, max: 2n ** 64n }),
            to: fc.option(
              fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => hexlify(bytes)),
              { nil: null },
            ),
            data: fc.uint8Array({ maxLength: 300 }).map((bytes) => hexlify(bytes)),
            chainId: fc.integer({ min: 1, max: 2 ** 31 }),
            privateFrom: key,
            recipients: fc.oneof(
              key.map((privacyGroupId) => ({ privacyGroupId })),
              fc.array(key, { minLength: 1, maxLength: 4 }).map((privateFor) => ({ privateFor })),
            ),
          }),
          fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((bytes) => bytes.some((b) => b !== 0)),
          (fields, secret) => {
            let privateKey: string;
            try {
              privateKey = new SigningKey(hexlify(secret)).privateKey;
            } catch {
              return; // not below the curve order: no such key
            }
            expect(ourSerialize(fields, privateKey)).to.equal(oracleSerialize(fields, privateKey));
          },
        ),
        { numRuns: 60 },
      );
    });

    it("a transaction without a chain ID, given the same v, r, s", () => {
      const wallet = Wallet.createRandom();
      const tx = PrivateTransaction.from({ ...base, privacyGroupId: GROUP, chainId: null, gasLimit: 3_000_000 });
      tx.signature = wallet.signingKey.sign(tx.unsignedHash);
      const oracle = new OraclePrivateTransaction({
        nonce: 0,
        gasPrice: 0,
        gasLimit: "0x2dc6c0",
        to: base.to,
        value: 0,
        data: base.data,
        v: tx.signature.v,
        r: tx.signature.r,
        s: tx.signature.s,
        privateFrom: ALICE,
        privacyGroupId: GROUP,
        restriction: "restricted",
      });
      expect(tx.serialized).to.equal("0x" + oracle.serialize().toString("hex"));
      expect([27, 28]).to.include(tx.signature.v);
      expect(tx.from).to.equal(wallet.address);
    });
  });

  describe("is the ethers client's class on the ethers-free codec", () => {
    it("reads its signature back as an ethers Signature, and copies and parses into this class", () => {
      const tx = PrivateTransaction.from({ privateFrom: ALICE, privacyGroupId: GROUP, chainId: 1337 });
      expect(tx.signature).to.equal(null);
      expect(tx.isSigned()).to.equal(false);
      const signature = new SigningKey(PRIVATE_KEY).sign(tx.unsignedHash);
      tx.signature = signature;
      expect(tx.isSigned()).to.equal(true);
      expect(tx.signature).to.be.instanceOf(Signature);
      expect(tx.signature!.compactSerialized).to.equal(signature.compactSerialized); // an ethers-only field
      expect(tx.clone()).to.be.instanceOf(PrivateTransaction);
      expect(PrivateTransaction.from(tx.serialized).signature!.serialized).to.equal(signature.serialized);
    });
  });

  describe("parses", () => {
    it("the signed example of Besu's documentation: 12 items, v = 0x1b, no chain ID", () => {
      expect(decodeRlp(BESU_DOCS_SIGNED_EXAMPLE)).to.have.length(12);
      const tx = PrivateTransaction.from(BESU_DOCS_SIGNED_EXAMPLE);
      expect(tx.nonce).to.equal(0);
      expect(tx.gasPrice).to.equal(1000n);
      expect(tx.gasLimit).to.equal(3_000_000n);
      expect(tx.to).to.equal(null);
      expect(tx.value).to.equal(0n);
      expect(tx.data).to.match(/^0x608060405234801561001057600080fd5b5060dc8061001f6000396000f3/);
      expect(tx.chainId).to.equal(null);
      expect(tx.signature?.v).to.equal(27);
      expect(tx.privateFrom).to.equal("negmDcN2P4ODpqn/6WkJ02zT/0w0bjhGpkZ8UP6vARk=");
      // A legacy EEA transaction: item 11 is a list of one recipient key, not a group ID.
      expect(tx.privateFor).to.deep.equal(["g59BmTeJIn7HIcnq8VQWgyh/pDbvbt2eyP0Ii60aDDw="]);
      expect(tx.privacyGroupId).to.equal(null);
      expect(tx.restriction).to.equal("restricted");
      expect(tx.serialized).to.equal(BESU_DOCS_SIGNED_EXAMPLE);
      expect(tx.from).to.match(/^0x[0-9a-fA-F]{40}$/);
    });

    it("web3js-quorum's own signed fixture (privateFor, EIP-155), and re-signs it as web3js-quorum does", () => {
      const tx = PrivateTransaction.from(WEB3JS_QUORUM_FIXTURE.rlp);
      expect(tx.privateFor).to.deep.equal(["Ko2bVqD+nNlNYL5EE7y3IdOnviftjiizpjRt+HTuFBs="]);
      expect(tx.chainId).to.equal(2018n);
      expect(tx.serialized).to.equal(WEB3JS_QUORUM_FIXTURE.rlp);

      const oracle = new OraclePrivateTransaction(WEB3JS_QUORUM_FIXTURE.rlp);
      oracle.sign(Buffer.from(PRIVATE_KEY.slice(2), "hex"));
      tx.signature = new SigningKey(PRIVATE_KEY).sign(tx.unsignedHash);
      expect(tx.serialized).to.equal("0x" + oracle.serialize().toString("hex"));
      expect(tx.from?.toLowerCase()).to.equal("0x" + WEB3JS_QUORUM_FIXTURE.sendersAddress);
    });

    it("what it serializes, and recovers the signer with and without a chain ID", () => {
      const wallet = new Wallet(PRIVATE_KEY);
      for (const chainId of [null, 1n, 1337n, 2n ** 40n]) {
        const tx = PrivateTransaction.from({
          chainId,
          privateFrom: ALICE,
          privacyGroupId: GROUP,
          to: wallet.address,
          nonce: 9,
        });
        tx.signature = wallet.signingKey.sign(tx.unsignedHash);
        const parsed = PrivateTransaction.from(tx.serialized);
        expect(parsed.chainId).to.equal(chainId);
        expect(parsed.from).to.equal(wallet.address);
        expect(parsed.hash).to.equal(tx.hash);
        expect(parsed.toJSON()).to.deep.equal(tx.toJSON());
      }
    });

    it("hex with or without 0x", () => {
      expect(PrivateTransaction.from(BESU_DOCS_SIGNED_EXAMPLE.slice(2)).serialized).to.equal(BESU_DOCS_SIGNED_EXAMPLE);
    });
  });

  describe("refuses what Besu refuses, with a named error", () => {
    for (const [index, name] of [
      [0, "nonce"],
      [1, "gasPrice"],
      [2, "gasLimit"],
      [4, "value"],
      [6, "v"],
      [7, "r"],
      [8, "s"],
    ] as const) {
      it(`a leading zero in ${name}`, () => {
        const items = decodeRlp(BESU_DOCS_SIGNED_EXAMPLE) as string[];
        const withZero = "0x00" + items[index].slice(2);
        expectTxError(() => PrivateTransaction.from(docsExampleWith(index, withZero)), SdkErrorCode.LeadingZero);
      });
    }

    it("both privateFor and privacyGroupId", () => {
      expectTxError(
        () => PrivateTransaction.from({ privateFrom: ALICE, privateFor: [BOB], privacyGroupId: GROUP }),
        SdkErrorCode.RecipientsAmbiguous,
      );
      const tx = PrivateTransaction.from({ privateFrom: ALICE, privacyGroupId: GROUP });
      expectTxError(() => (tx.privateFor = [BOB]), SdkErrorCode.RecipientsAmbiguous);
      expect(tx.privacyGroupId).to.equal(GROUP);
    });

    it("neither privateFor nor privacyGroupId, or no privateFrom", () => {
      expectTxError(() => PrivateTransaction.from({ privateFrom: ALICE }).unsignedHash, SdkErrorCode.RecipientsMissing);
      expectTxError(
        () => PrivateTransaction.from({ privacyGroupId: GROUP }).unsignedHash,
        SdkErrorCode.RecipientsMissing,
      );
    });

    it("a group ID that is not 32 bytes", () => {
      for (const length of [0, 31, 33]) {
        const item = hexlify(new Uint8Array(length).fill(1));
        expectTxError(
          () => PrivateTransaction.from(docsExampleWith(10, item)),
          SdkErrorCode.WrongLength,
          InvalidPrivacyGroupIdError,
        );
        expectTxError(
          () => PrivateTransaction.from({ privateFrom: ALICE, privacyGroupId: base64Of(length) }),
          SdkErrorCode.WrongLength,
          InvalidPrivacyGroupIdError,
        );
      }
    });

    it("an unknown restriction", () => {
      for (const text of ["", "Restricted", "restricte", "unrestricted "]) {
        expectTxError(
          () => PrivateTransaction.from(docsExampleWith(11, hexlify(Buffer.from(text)))),
          SdkErrorCode.UnknownRestriction,
        );
      }
      expectTxError(
        () => PrivateTransaction.from({ privateFrom: ALICE, privacyGroupId: GROUP, restriction: "private" as never }),
        SdkErrorCode.UnknownRestriction,
      );
    });

    it("an unsupported v", () => {
      for (const v of [0, 1, 26, 29, 34, 35, 36]) {
        expectTxError(
          () => PrivateTransaction.from(docsExampleWith(6, hexlify(toBeArray(v)))),
          SdkErrorCode.UnsupportedV,
        );
      }
      expectTxError(() => PrivateTransaction.from({ chainId: 0 }), SdkErrorCode.UnsupportedV);
    });

    it("a list of another length, a list where a string belongs, `to` of the wrong size, and non-RLP", () => {
      const items = decodeRlp(BESU_DOCS_SIGNED_EXAMPLE) as string[];
      expectTxError(() => PrivateTransaction.from(encodeRlp(items.slice(0, 11))), SdkErrorCode.MalformedTransaction);
      expectTxError(() => PrivateTransaction.from(encodeRlp([...items, "0x"])), SdkErrorCode.MalformedTransaction);
      expectTxError(() => PrivateTransaction.from(docsExampleWith(0, ["0x01"])), SdkErrorCode.MalformedTransaction);
      expectTxError(
        () => PrivateTransaction.from(docsExampleWith(3, "0x" + "11".repeat(19))),
        SdkErrorCode.InvalidField,
      );
      expectTxError(() => PrivateTransaction.from("0xzz"), SdkErrorCode.MalformedTransaction);
      expectTxError(
        () => PrivateTransaction.from(BESU_DOCS_SIGNED_EXAMPLE.slice(0, -2)),
        SdkErrorCode.MalformedTransaction,
      );
    });

    it("negative or non-integer scalars, a bad address, and serializing unsigned", () => {
      expectTxError(() => PrivateTransaction.from({ nonce: -1 }), SdkErrorCode.InvalidField);
      expectTxError(() => PrivateTransaction.from({ gasLimit: "lots" }), SdkErrorCode.InvalidField);
      expectTxError(() => PrivateTransaction.from({ to: "0x1234" }), SdkErrorCode.InvalidField);
      expectTxError(
        () => PrivateTransaction.from({ privateFrom: ALICE, privacyGroupId: GROUP }).serialized,
        SdkErrorCode.NotSigned,
      );
      expect(PrivateTransaction.from({ privateFrom: ALICE, privacyGroupId: GROUP }).from).to.equal(null);
    });

    it("changes nothing when a setter refuses", () => {
      const tx = PrivateTransaction.from({
        privateFrom: ALICE,
        privacyGroupId: GROUP,
        nonce: 3,
        restriction: "restricted",
      });
      const before = tx.unsignedHash;
      expectTxError(() => (tx.nonce = -5), SdkErrorCode.InvalidField);
      expectTxError(() => (tx.restriction = "x" as never), SdkErrorCode.UnknownRestriction);
      expectTxError(() => (tx.chainId = 0), SdkErrorCode.UnsupportedV);
      expect(tx.unsignedHash).to.equal(before);
    });
  });

  it("signs over chainId, 0, 0 in place of v, r, s (EIP-155), and over nothing in their place without a chain ID", () => {
    const fields: PrivateTransactionLike = { privateFrom: ALICE, privacyGroupId: GROUP, nonce: 1 };
    const withChain = PrivateTransaction.from({ ...fields, chainId: 1337 });
    const withoutChain = PrivateTransaction.from(fields);
    expect(decodeRlp(withChain.unsignedSerialized)).to.have.length(12);
    expect((decodeRlp(withChain.unsignedSerialized) as string[]).slice(6, 9)).to.deep.equal(["0x0539", "0x", "0x"]);
    expect(decodeRlp(withoutChain.unsignedSerialized)).to.have.length(9);
  });
});
