import { expect } from "chai";
import { Signature, SigningKey, Wallet, keccak256, randomBytes, recoverAddress as ethersRecover } from "ethers";

type Secp = typeof import("../../src/network/chain/signatures");

const MODULE = require.resolve("../../src/network/chain/signatures");
const BINDING = require.resolve("secp256k1/bindings");

/** Loads src/network/chain/signatures.ts afresh, with or without libsecp256k1's binding. */
function load(withBinding: boolean): Secp {
  const saved = require.cache[BINDING];
  delete require.cache[MODULE];
  if (!withBinding) {
    // A binding that fails to load, as on a platform without a prebuilt one: requiring it throws.
    const missing = { id: BINDING, filename: BINDING, loaded: true };
    Object.defineProperty(missing, "exports", {
      get() {
        throw new Error("no libsecp256k1 binding for this platform");
      },
    });
    require.cache[BINDING] = missing as unknown as NodeJS.Module;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(MODULE) as Secp;
  } finally {
    delete require.cache[MODULE];
    if (saved === undefined) delete require.cache[BINDING];
    else require.cache[BINDING] = saved;
  }
}

describe("network: signatures with and without the libsecp256k1 binding", function () {
  for (const withBinding of [true, false]) {
    const label = withBinding ? "with the binding" : "with ethers alone";
    it(`${label}: recovers the signer ethers recovers, for 25 random keys`, function () {
      const secp = load(withBinding);
      for (let i = 0; i < 25; ++i) {
        const wallet = Wallet.createRandom();
        const digest = keccak256(randomBytes(32));
        const signature = new SigningKey(wallet.privateKey).sign(digest);
        expect(secp.recoverAddress(digest, signature)).to.equal(wallet.address.toLowerCase());
      }
    });

    it(`${label}: signs with a fresh key each time, and ethers recovers a low-s signature`, function () {
      const secp = load(withBinding);
      const digest = keccak256(randomBytes(32));
      const signers = new Set<string>();
      for (let i = 0; i < 10; ++i) {
        const signature = secp.signWithFreshKey(digest);
        expect(BigInt(signature.s)).to.be.at.most(SECP256K1_HALF_N);
        signers.add(ethersRecover(digest, signature));
      }
      expect(signers.size).to.equal(10);
    });

    it(`${label}: refuses a signature with r = 0`, function () {
      const secp = load(withBinding);
      const digest = keccak256(randomBytes(32));
      const good = new SigningKey(Wallet.createRandom().privateKey).sign(digest);
      const bad = Signature.from({ r: "0x" + "00".repeat(32), s: good.s, v: good.v });
      expect(() => secp.recoverAddress(digest, bad)).to.throw();
    });
  }
});

const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
