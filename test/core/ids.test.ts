import { expect } from "chai";
import {
  InvalidPrivacyGroupIdError,
  PrivacySdkError,
  SdkErrorCode,
  generatePrivacyGroupId,
  parsePrivacyGroupId,
} from "../../src";

/** Asserts that parsing `id` fails with the given code, and returns the error for further checks. */
function parseFailure(id: unknown, code: SdkErrorCode): InvalidPrivacyGroupIdError {
  try {
    parsePrivacyGroupId(id as string);
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidPrivacyGroupIdError);
    const failure = error as InvalidPrivacyGroupIdError;
    expect(failure.code).to.equal(code);
    return failure;
  }
  expect.fail(`expected ${JSON.stringify(id)} to be refused with ${code}`);
}

const ZERO_ID = Buffer.alloc(32).toString("base64"); // "AAAA...AAA="

describe("privacy group IDs", () => {
  describe("generatePrivacyGroupId", () => {
    it("returns 44 characters of standard base64 ending in one '=' of padding", () => {
      const id = generatePrivacyGroupId();
      expect(id).to.have.length(44);
      expect(id).to.match(/^[A-Za-z0-9+/]{43}=$/);
    });

    it("encodes exactly 32 bytes that parse back to the same ID", () => {
      const id = generatePrivacyGroupId();
      const bytes = parsePrivacyGroupId(id);
      expect(bytes).to.be.instanceOf(Uint8Array);
      expect(bytes).to.have.length(32);
      expect(Buffer.from(bytes).toString("base64")).to.equal(id);
    });

    it("never repeats over 5000 IDs and each one is canonical", () => {
      const ids = Array.from({ length: 5000 }, generatePrivacyGroupId);
      expect(new Set(ids).size).to.equal(ids.length);
      for (const id of ids) expect(() => parsePrivacyGroupId(id), id).not.to.throw();
    });

    it("uses every bit position: no byte is constant across 5000 IDs", () => {
      const seen = Array.from({ length: 32 }, () => new Set<number>());
      for (let i = 0; i < 5000; i++) {
        parsePrivacyGroupId(generatePrivacyGroupId()).forEach((byte, position) => seen[position].add(byte));
      }
      // With uniform bytes each position should show nearly all 256 values.
      for (const values of seen) expect(values.size).to.be.greaterThan(200);
    });
  });

  describe("parsePrivacyGroupId", () => {
    it("returns the 32 decoded bytes of a valid ID", () => {
      const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7));
      expect(Array.from(parsePrivacyGroupId(bytes.toString("base64")))).to.deep.equal(Array.from(bytes));
    });

    it("throws a named PrivacySdkError with a machine-readable code", () => {
      const error = parseFailure(42, SdkErrorCode.NotAString);
      expect(error).to.be.instanceOf(PrivacySdkError);
      expect(error).to.be.instanceOf(Error);
      expect(error.name).to.equal("InvalidPrivacyGroupIdError");
      expect(error.code).to.equal("NOT_A_STRING");
    });

    const notStrings: Array<[string, unknown]> = [
      ["a number", 42],
      ["null", null],
      ["undefined", undefined],
      ["an object", { id: ZERO_ID }],
      ["bytes", new Uint8Array(32)],
    ];
    for (const [label, value] of notStrings) {
      it(`refuses ${label} as not a string`, () => {
        expect(parseFailure(value, SdkErrorCode.NotAString).message).to.contain("not a string");
      });
    }

    const badCharacters: Array<[string, string, number]> = [
      ["URL-safe '-'", "-" + ZERO_ID.slice(1), 0],
      ["URL-safe '_'", ZERO_ID.slice(0, 10) + "_" + ZERO_ID.slice(11), 10],
      ["a space", ZERO_ID.slice(0, 5) + " " + ZERO_ID.slice(6), 5],
      ["a trailing newline", ZERO_ID + "\n", 44],
      ["a '.'", ZERO_ID.slice(0, 42) + ".=", 42],
      ["a non-ASCII letter", "é" + ZERO_ID.slice(1), 0],
    ];
    for (const [label, id, index] of badCharacters) {
      it(`refuses ${label} as a bad base64 character, naming its index`, () => {
        const error = parseFailure(id, SdkErrorCode.Base64BadCharacter);
        expect(error.message).to.contain(`at index ${index}`);
      });
    }

    const badPadding: Array<[string, string]> = [
      ["'=' in the middle", ZERO_ID.slice(0, 20) + "=" + ZERO_ID.slice(21)],
      ["three '='", ZERO_ID.slice(0, 41) + "==="],
      ["an extra '=' making the length 45", ZERO_ID + "="],
      ["'=' where no padding fits (33 data characters)", "A".repeat(33) + "=="],
      ["a lone '='", "="],
    ];
    for (const [label, id] of badPadding) {
      it(`refuses ${label} as bad padding`, () => {
        parseFailure(id, SdkErrorCode.Base64BadPadding);
      });
    }

    it("refuses a missing '=' as not canonical", () => {
      const error = parseFailure(ZERO_ID.slice(0, 43), SdkErrorCode.Base64NotCanonical);
      expect(error.message).to.contain("padding is missing");
    });

    it("refuses non-zero unused trailing bits as not canonical, showing the canonical form", () => {
      // 'B' carries a 1 in the two bits past the 256th, which decoding drops.
      const sloppy = ZERO_ID.slice(0, 42) + "B=";
      expect(Buffer.from(sloppy, "base64")).to.have.length(32); // Node alone would accept it
      const error = parseFailure(sloppy, SdkErrorCode.Base64NotCanonical);
      expect(error.message).to.contain("trailing bits").and.to.contain(ZERO_ID);
    });

    const wrongLengths: Array<[number, string]> = [
      [31, Buffer.alloc(31).toString("base64")],
      [33, Buffer.alloc(33).toString("base64")],
      [0, ""],
      [91, Buffer.alloc(91).toString("base64")],
    ];
    for (const [length, id] of wrongLengths) {
      it(`refuses ${length} decoded bytes, saying how many it got`, () => {
        const error = parseFailure(id, SdkErrorCode.WrongLength);
        expect(error.message).to.contain(`got ${length}`).and.to.contain("32 bytes");
      });
    }
  });
});
