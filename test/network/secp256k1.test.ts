import { expect } from "chai";
import {
  Signature,
  SigningKey,
  Wallet,
  getBytes,
  keccak256,
  randomBytes,
  recoverAddress as ethersRecover,
} from "ethers";
import { PrivacyProvider, PrivateSigner, PrivateTransaction } from "../../src";
import { nativeSecp256k1, nativeSign } from "../../src/core/secp256k1";
import { DEFAULT_NODES } from "../../src/network/defaults";

type Secp = typeof import("../../src/network/chain/signatures");

const MODULE = require.resolve("../../src/network/chain/signatures");
/** Where the binding is loaded and kept: reloaded with MODULE, so that each load decides afresh. */
const LOADER = require.resolve("../../src/core/secp256k1");
const BINDING = require.resolve("secp256k1/bindings");

/** Loads src/network/chain/signatures.ts afresh, with or without libsecp256k1's binding. */
function load(withBinding: boolean): Secp {
  const saved = require.cache[BINDING];
  delete require.cache[MODULE];
  delete require.cache[LOADER];
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
    delete require.cache[LOADER];
    if (saved === undefined) delete require.cache[BINDING];
    else require.cache[BINDING] = saved;
  }
}

describe("network: signatures with and without the libsecp256k1 binding", function () {
  for (const withBinding of [true, false]) {
    const label = withBinding ? "with the binding" : "without it (JavaScript)";
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

describe("client: a key of its own signs with the libsecp256k1 binding, byte for byte as ethers signs", function () {
  it("the binding loads here, and its signatures equal ethers' for 25 random keys and digests", function () {
    const native = nativeSecp256k1();
    expect(native, "the secp256k1 devDependency's binding").not.to.equal(undefined);
    for (let i = 0; i < 25; ++i) {
      const key = randomBytes(32);
      const digest = keccak256(randomBytes(32));
      expect(Signature.from(nativeSign(native!, getBytes(digest), key)).serialized).to.equal(
        new SigningKey(key).sign(digest).serialized,
      );
    }
  });

  it("a PrivateSigner on a Wallet signs a private transaction as the Wallet's SigningKey would", async function () {
    const wallet = Wallet.createRandom();
    const signer = new PrivateSigner(wallet, DEFAULT_NODES[0].enclaveKey, new PrivacyProvider("http://127.0.0.1:1"), {
      chainId: 1337,
    });
    const unsigned = PrivateTransaction.from({
      nonce: 3,
      gasLimit: 100_000,
      to: wallet.address,
      data: "0x1234",
      chainId: 1337,
      privateFrom: DEFAULT_NODES[0].enclaveKey,
      privacyGroupId: DEFAULT_NODES[1].enclaveKey,
    });
    const signed = await signer.signTransaction(unsigned);
    expect(signed.signature!.serialized).to.equal(wallet.signingKey.sign(unsigned.unsignedHash).serialized);
    expect(signed.from).to.equal(wallet.address);
  });
});
