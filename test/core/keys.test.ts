import { expect } from "chai";
import { hexlify } from "ethers";
import fc from "fast-check";
import {
  InvalidTesseraKeyError,
  SdkErrorCode,
  bytesToTesseraKey,
  decodeCanonicalBase64,
  encodeBase64,
  isTesseraKey,
  parseTesseraKey,
  tesseraKeyToBytes,
} from "../../src";

function expectKeyError(action: () => unknown, code: SdkErrorCode): InvalidTesseraKeyError {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidTesseraKeyError);
    const failure = error as InvalidTesseraKeyError;
    expect(failure.name).to.equal("InvalidTesseraKeyError");
    expect(failure.code).to.equal(code);
    return failure;
  }
  expect.fail(`expected an InvalidTesseraKeyError with code ${code}`);
}

const naclBytes = Buffer.from(Array.from({ length: 32 }, (_, i) => 255 - i));
const ecBytes = Buffer.from(Array.from({ length: 91 }, (_, i) => (i * 37) % 256));
const NACL_KEY = naclBytes.toString("base64");
const EC_KEY = ecBytes.toString("base64");

describe("Tessera key conversion", () => {
  describe("tesseraKeyToBytes", () => {
    it("turns a 32-byte NaCl key into lowercase 0x hex of 32 bytes", () => {
      const hex = tesseraKeyToBytes(NACL_KEY);
      expect(hex).to.equal("0x" + naclBytes.toString("hex"));
      expect(hex).to.match(/^0x[0-9a-f]{64}$/);
    });

    it("turns a 91-byte EC key into the same hex ethers.hexlify gives", () => {
      expect(tesseraKeyToBytes(EC_KEY)).to.equal(hexlify(ecBytes));
    });

    it("refuses a key that decodes to neither 32 nor 91 bytes, naming both lengths", () => {
      for (const length of [0, 31, 33, 64, 90, 92]) {
        const error = expectKeyError(
          () => tesseraKeyToBytes(Buffer.alloc(length).toString("base64")),
          SdkErrorCode.WrongLength,
        );
        expect(error.message).to.contain("32 or 91").and.to.contain(`got ${length}`);
      }
    });

    it("refuses base64 that is not canonical", () => {
      expectKeyError(() => tesseraKeyToBytes(NACL_KEY.slice(0, 43)), SdkErrorCode.Base64NotCanonical);
      expectKeyError(() => tesseraKeyToBytes(NACL_KEY.slice(0, 42) + "9="), SdkErrorCode.Base64NotCanonical);
    });

    it("refuses URL-safe base64, bad padding and non-strings", () => {
      expectKeyError(() => tesseraKeyToBytes(NACL_KEY.replace(/\//g, "_")), SdkErrorCode.Base64BadCharacter);
      expectKeyError(() => tesseraKeyToBytes(NACL_KEY + "=="), SdkErrorCode.Base64BadPadding);
      expectKeyError(() => tesseraKeyToBytes(null as unknown as string), SdkErrorCode.NotAString);
    });
  });

  describe("bytesToTesseraKey", () => {
    it("turns 0x hex from the contract back into the base64 key", () => {
      expect(bytesToTesseraKey("0x" + naclBytes.toString("hex"))).to.equal(NACL_KEY);
      expect(bytesToTesseraKey(hexlify(ecBytes))).to.equal(EC_KEY);
    });

    it("accepts upper-case hex and raw bytes", () => {
      expect(bytesToTesseraKey("0x" + naclBytes.toString("hex").toUpperCase())).to.equal(NACL_KEY);
      expect(bytesToTesseraKey(new Uint8Array(ecBytes))).to.equal(EC_KEY);
    });

    const badHex: Array<[string, unknown]> = [
      ["hex without 0x", naclBytes.toString("hex")],
      ["an odd number of digits", "0x" + naclBytes.toString("hex") + "0"],
      ["a non-hex digit", "0x" + "g".repeat(64)],
      ["a base64 key", NACL_KEY],
      ["a number", 42],
      ["an array of numbers", Array.from(naclBytes)],
    ];
    for (const [label, value] of badHex) {
      it(`refuses ${label} as invalid hex`, () => {
        expectKeyError(() => bytesToTesseraKey(value as string), SdkErrorCode.InvalidHex);
      });
    }

    it("refuses bytes of the wrong length, as hex or as Uint8Array", () => {
      expectKeyError(() => bytesToTesseraKey("0x"), SdkErrorCode.WrongLength);
      expectKeyError(() => bytesToTesseraKey("0x" + "00".repeat(33)), SdkErrorCode.WrongLength);
      expectKeyError(() => bytesToTesseraKey(new Uint8Array(90)), SdkErrorCode.WrongLength);
    });
  });

  describe("round trips", () => {
    it("base64 → hex → base64 gives back any 32- or 91-byte key", () => {
      const keyBytes = fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 91, maxLength: 91 }));
      fc.assert(
        fc.property(keyBytes, (bytes) => {
          const key = Buffer.from(bytes).toString("base64");
          expect(bytesToTesseraKey(tesseraKeyToBytes(key))).to.equal(key);
          expect(Array.from(parseTesseraKey(key))).to.deep.equal(Array.from(bytes));
        }),
        { numRuns: 300 },
      );
    });

    it("decodeCanonicalBase64 inverts encodeBase64 for any bytes", () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
          const decoded = decodeCanonicalBase64(encodeBase64(bytes));
          expect(decoded.ok).to.equal(true);
          if (decoded.ok) expect(Array.from(decoded.bytes)).to.deep.equal(Array.from(bytes));
        }),
        { numRuns: 300 },
      );
    });

    it("decodeCanonicalBase64 accepts a string only if it is the one encoding of its bytes", () => {
      const base64ish = fc.string({ unit: fc.constantFrom(..."AB+/=z9Q-_ ".split("")), maxLength: 12 });
      fc.assert(
        fc.property(fc.oneof(base64ish, fc.string({ maxLength: 12 })), (text) => {
          const decoded = decodeCanonicalBase64(text);
          if (decoded.ok) expect(encodeBase64(decoded.bytes)).to.equal(text);
          else expect(decoded.problem.message).to.be.a("string").and.not.equal("");
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe("isTesseraKey", () => {
    it("is true only for canonical base64 of 32 or 91 bytes, and never throws", () => {
      expect(isTesseraKey(NACL_KEY)).to.equal(true);
      expect(isTesseraKey(EC_KEY)).to.equal(true);
      expect(isTesseraKey(NACL_KEY.slice(0, 43))).to.equal(false);
      expect(isTesseraKey(Buffer.alloc(33).toString("base64"))).to.equal(false);
      expect(isTesseraKey(undefined)).to.equal(false);
      expect(isTesseraKey(12)).to.equal(false);
    });
  });
});
