// A plain TypeScript consumer of the packed package, on another ethers 6.x than the repository's.
// `npm run check:package` installs the tarball next to it, type-checks it (node16 resolution,
// skipLibCheck false) and runs it.
import { Interface, JsonRpcProvider, Wallet, keccak256, version as ethersVersion } from "ethers";
import {
  FlexiblePrivacyGroup,
  GROUP_PROXY_ADDRESS,
  PrivacyProvider,
  PrivateSigner,
  PrivateTransaction,
  decideAccess,
  generatePrivacyGroupId,
  type MembershipChange,
  type PublicFlexiblePrivacyGroup,
} from "flexible-privacy-groups";
import { FlexiblePrivacyGroupManagement__factory, type FlexiblePrivacyGroupManagement } from "flexible-privacy-groups/typechain-types";
import managementAbi from "flexible-privacy-groups/abi/FlexiblePrivacyGroupManagement.json";
import proxyAbi from "flexible-privacy-groups/abi/FlexiblePrivacyGroupProxy.json";
import alloc from "flexible-privacy-groups/genesis/alloc.json";
import manifest from "flexible-privacy-groups/genesis/manifest.json";
import pkg from "flexible-privacy-groups/package.json";

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`consumer: ${what}`);
  console.log(`  ok: ${what}`);
}

// The SDK, with this project's ethers: a 6.x signer and provider type-check against the package's types.
const groupId: string = generatePrivacyGroupId();
const history: MembershipChange[] = [];
check(decideAccess(history, groupId, { method: "priv_call", blockNumber: 1 }).allowed === false, "the SDK decides access");
const provider = new JsonRpcProvider("http://127.0.0.1:1", undefined, { staticNetwork: true });
const onChain: PublicFlexiblePrivacyGroup = FlexiblePrivacyGroup.onPublicChain(Wallet.createRandom(provider));
const group: FlexiblePrivacyGroupManagement = FlexiblePrivacyGroupManagement__factory.connect(GROUP_PROXY_ADDRESS, provider);
check(group.interface.getFunction("getParticipants").selector === "0x5aa68ac0", "the typed bindings work");
check(typeof onChain.members === "function", "the group client takes this project's signer");
check(group.target === GROUP_PROXY_ADDRESS, "a factory connects with this project's provider");
provider.destroy();

// The genesis files: the alloc's code is the code the manifest hashes.
const accounts = alloc as Record<string, { code: string }>;
for (const part of ["management", "proxy"] as const) {
  const { address, codeHash } = manifest.contracts[part];
  check(keccak256(accounts[address].code) === codeHash, `genesis/alloc.json's ${part} code has the manifest's hash`);
}

// The Besu client, with this project's ethers: a 6.13 Wallet signs a private transaction through it.
async function besuClient(): Promise<void> {
  const wallet = Wallet.createRandom();
  const enclaveKey = `${"A".repeat(43)}=`;
  const privacyProvider = new PrivacyProvider("http://127.0.0.1:1", { staticNetwork: true });
  const privateSigner = new PrivateSigner(wallet, enclaveKey, privacyProvider, { chainId: 1337 });
  const unsigned = PrivateTransaction.from({
    to: GROUP_PROXY_ADDRESS,
    data: "0xf83d08ba",
    chainId: 1337,
    privateFrom: enclaveKey,
    privacyGroupId: groupId,
  });
  const signed = await privateSigner.signTransaction(unsigned);
  check(PrivateTransaction.from(signed.serialized).from === wallet.address, "the Besu client signs with this project's Wallet");
  privacyProvider.destroy();
}

// The ABI JSON: Besu's selectors.
const management = new Interface(managementAbi);
check(management.getFunction("addParticipants")?.selector === "0x965a25ef", "abi/FlexiblePrivacyGroupManagement.json");
check(new Interface(proxyAbi).getFunction("upgradeTo")?.selector === "0x3659cfe6", "abi/FlexiblePrivacyGroupProxy.json");

check(pkg.name === "flexible-privacy-groups", `package.json is importable (version ${pkg.version})`);
besuClient().then(
  () => console.log(`consumer: the packed package works with ethers ${ethersVersion}`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
