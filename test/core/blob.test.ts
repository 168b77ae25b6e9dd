import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { type AllocLike, blobDifferences, describeDifference, shippedStorageWord } from "../../src/core/blob";
import { GROUP_MANAGEMENT_ADDRESS, GROUP_PROXY_ADDRESS } from "../../src/core/constants";

const SHIPPED = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "genesis", "alloc.json"), "utf8")) as AllocLike;
const copy = (): Record<string, Record<string, unknown>> => JSON.parse(JSON.stringify(SHIPPED));
const key = (address: string) => Object.keys(SHIPPED).find((k) => k.toLowerCase().endsWith(address.slice(2)))!;
const fields = (found: Record<string, unknown>) => blobDifferences(found, SHIPPED).map((d) => `${d.account.slice(-2)} ${d.field}`);

describe("src/core/blob.ts: an alloc is the blob only in every account and field", function () {
  it("finds no difference in the shipped alloc, with checksummed, lowercase or unprefixed keys and zero words", function () {
    expect(blobDifferences(copy(), SHIPPED)).to.deep.equal([]);
    const reKeyed: Record<string, unknown> = {};
    for (const [address, account] of Object.entries(copy())) reKeyed[address.toUpperCase().replace(/^0X/, "")] = account;
    expect(blobDifferences(reKeyed, SHIPPED)).to.deep.equal([]);
    const withZero = copy();
    withZero[key(GROUP_PROXY_ADDRESS)].storage = { ...(withZero[key(GROUP_PROXY_ADDRESS)].storage as object), "0x05": "0x00" };
    withZero[key(GROUP_PROXY_ADDRESS)].balance = "0";
    expect(blobDifferences(withZero, SHIPPED), "a zero word is an absent slot; decimal 0 is 0").to.deep.equal([]);
  });

  it("names a missing account, an extra account, and an account that is not an object", function () {
    const found = copy();
    delete found[key(GROUP_MANAGEMENT_ADDRESS)];
    found["0x" + "11".repeat(20)] = {};
    expect(fields(found)).to.deep.equal(["7b account", "11 account"]);
    for (const bad of [null, [], "code"]) {
      const odd: Record<string, unknown> = copy();
      odd[key(GROUP_PROXY_ADDRESS)] = bad;
      expect(fields(odd), String(bad)).to.deep.equal(["7c account"]);
    }
  });

  it("names other code, missing code and code that is not hex, by hash and length", function () {
    const found = copy();
    found[key(GROUP_MANAGEMENT_ADDRESS)].code = "0x00";
    delete found[key(GROUP_PROXY_ADDRESS)].code;
    const differences = blobDifferences(found, SHIPPED);
    expect(differences.map((d) => d.found)).to.deep.equal([`keccak256 ${"0x" + "bc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a"} (1 bytes)`, "no code"]);
    found[key(GROUP_MANAGEMENT_ADDRESS)].code = 42;
    expect(blobDifferences(found, SHIPPED)[0].found).to.equal("not hex: 42");
    found[key(GROUP_MANAGEMENT_ADDRESS)].code = "z".repeat(70);
    expect(blobDifferences(found, SHIPPED)[0].found).to.equal(`not hex: "${"z".repeat(57)}..."`);
    found[key(GROUP_MANAGEMENT_ADDRESS)].code = "0x" + "ab".repeat(40);
    expect(describeDifference(blobDifferences(found, SHIPPED)[0])).to.match(/^0x0+7b code: expected keccak256 0x[0-9a-f]{64} \(\d+ bytes\), found keccak256/);
  });

  it("names a non-zero or unreadable balance or nonce", function () {
    const found = copy();
    found[key(GROUP_PROXY_ADDRESS)].balance = "0x1";
    found[key(GROUP_MANAGEMENT_ADDRESS)].nonce = "many";
    const differences = blobDifferences(found, SHIPPED);
    expect(differences.map((d) => [d.field, d.found])).to.deep.equal([
      ["nonce", '"many"'],
      ["balance", "0x1"],
    ]);
  });

  it("names storage that is not storage, a changed or extra slot, and a missing implementation slot", function () {
    for (const [storage, found] of [
      [[], "not storage: "],
      [{ zero: "0x01" }, 'not storage: slot "zero" = "0x01"'],
      [{ "0x0": 7 }, 'not storage: slot "0x0" = 7'],
    ] as const) {
      const odd = copy();
      odd[key(GROUP_PROXY_ADDRESS)].storage = storage;
      expect(blobDifferences(odd, SHIPPED)[0].found).to.include(found);
    }
    const moved = copy();
    moved[key(GROUP_PROXY_ADDRESS)].storage = { "0x2": "0x02", "0x1": "0x01", "0x0": "0x" + "99".repeat(20) };
    expect(blobDifferences(moved, SHIPPED).map((d) => `${d.field} ${d.expected} ${d.found}`)).to.deep.equal([
      `storage[0x0] ${BigInt(GROUP_MANAGEMENT_ADDRESS).toString(16).replace(/^/, "0x")} 0x${"99".repeat(20)}`,
      "storage[0x1] nothing 0x1",
      "storage[0x2] nothing 0x2",
    ]);
    const emptied = copy();
    delete emptied[key(GROUP_PROXY_ADDRESS)].storage;
    expect(fields(emptied)).to.deep.equal(["7c storage[0x0]"]);
  });

  it("names an account under two keys and a slot under two keys, whichever of them holds the shipped value", function () {
    const other = "0x" + "99".repeat(20);
    for (const order of ["tampered first", "tampered last"]) {
      const tampered = { ...copy()[key(GROUP_PROXY_ADDRESS)], storage: { "0x0": other } };
      const twice: Record<string, unknown> = { ...copy() };
      delete twice[key(GROUP_PROXY_ADDRESS)];
      const keys = [GROUP_PROXY_ADDRESS.toUpperCase().replace(/^0X/, "0x"), GROUP_PROXY_ADDRESS];
      if (order === "tampered last") keys.reverse();
      twice[keys[0]] = tampered;
      twice[keys[1]] = copy()[key(GROUP_PROXY_ADDRESS)];
      expect(blobDifferences(twice, SHIPPED).map(describeDifference), order).to.include(
        `${GROUP_PROXY_ADDRESS} account: expected listed once, found listed 2 times (${keys.join(", ")})`,
      );

      const slotTwice = copy();
      const [shippedSlot, shippedWord] = Object.entries(slotTwice[key(GROUP_PROXY_ADDRESS)].storage as object)[0];
      const slots: [string, string][] = [["0x0", other], [shippedSlot, shippedWord]];
      if (order === "tampered last") slots.reverse();
      slotTwice[key(GROUP_PROXY_ADDRESS)].storage = Object.fromEntries(slots);
      expect(fields(slotTwice), order).to.deep.equal(["7c storage"]);
      expect(blobDifferences(slotTwice, SHIPPED)[0].found).to.match(/^not storage: slot 0x0 given twice/);
    }
  });

  it("reads the shipped proxy's implementation slot, and zero for a slot or account it does not have", function () {
    expect(shippedStorageWord(SHIPPED, GROUP_PROXY_ADDRESS, 0n)).to.equal(BigInt(GROUP_MANAGEMENT_ADDRESS));
    expect(shippedStorageWord(SHIPPED, GROUP_PROXY_ADDRESS, 1n)).to.equal(0n);
    expect(shippedStorageWord(SHIPPED, "0x" + "22".repeat(20), 0n)).to.equal(0n);
    expect(shippedStorageWord({ [GROUP_PROXY_ADDRESS]: { storage: "x" as unknown as Record<string, string> } }, GROUP_PROXY_ADDRESS, 0n)).to.equal(0n);
  });
});
