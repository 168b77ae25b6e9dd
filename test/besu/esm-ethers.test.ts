import { expect } from "chai";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PrivacyProvider, PrivateSigner, PrivateSignerError, PrivateTransaction } from "../../src";
import { rejection } from "../helpers/client-network";

const ALICE = "A1aVtMxLCUHmBVHXoZzzBgPbW/wj5axDpW9X8l91SGo=";
const GROUP = "kAbelwaVW7okoEn1+okO+AbA4Hhz/7DaCOWVQz9nx5M=";
const PRIVATE_KEY = "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63";

// ts-node compiles `import()` to `require()`, which would load ethers' CommonJS build again; a Function keeps a
// real ESM import, so these are the classes an ESM project (a Hardhat 3 config, a "type": "module" app) gets.
const importEsm = new Function("url", "return import(url)") as (url: string) => Promise<typeof import("ethers")>;
const ESM_ETHERS = pathToFileURL(path.join(path.dirname(require.resolve("ethers")), "..", "lib.esm", "index.js")).href;

describe("PrivateSigner: ethers objects from ethers' ESM build", function () {
  let esm: typeof import("ethers");
  let provider: PrivacyProvider;

  before(async function () {
    esm = await importEsm(ESM_ETHERS);
    // Never asked: signing with an explicit chain ID needs no node.
    provider = new PrivacyProvider("http://127.0.0.1:1");
  });

  after(() => provider.destroy());

  it("is another class than the CommonJS build's, so only a structural check accepts it", async function () {
    const { SigningKey } = await import("ethers");
    expect(new esm.SigningKey(PRIVATE_KEY)).not.to.be.instanceOf(SigningKey);
  });

  for (const [name, source] of [
    ["Wallet", () => new esm.Wallet(PRIVATE_KEY)],
    ["SigningKey", () => new esm.SigningKey(PRIVATE_KEY)],
  ] as const) {
    it(`accepts an ESM ${name} and signs with it`, async function () {
      const signer = new PrivateSigner(source(), ALICE, provider, { chainId: 1337 });
      const address = new esm.Wallet(PRIVATE_KEY).address;
      expect(await signer.getAddress()).to.equal(address);
      const signed = await signer.signTransaction(
        PrivateTransaction.from({ nonce: 0, gasLimit: 100_000, to: address, chainId: 1337, privateFrom: ALICE, privacyGroupId: GROUP }),
      );
      expect(signed.from).to.equal(address);
    });
  }

  it("checks every signature of a key accepted by its shape: one that signs as another key is refused", async function () {
    const other = new esm.SigningKey("0x" + "11".repeat(32));
    const liar = { publicKey: new esm.SigningKey(PRIVATE_KEY).publicKey, sign: (digest: string) => other.sign(digest) };
    const signer = new PrivateSigner(liar as unknown as InstanceType<typeof esm.SigningKey>, ALICE, provider, { chainId: 1337 });
    const error = await rejection(
      signer.signTransaction(PrivateTransaction.from({ nonce: 0, gasLimit: 100_000, chainId: 1337, privateFrom: ALICE, privacyGroupId: GROUP })),
    );
    expect(error).to.be.instanceOf(PrivateSignerError);
  });
});
