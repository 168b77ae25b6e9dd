import { expect } from "chai";
import { Wallet } from "ethers";
import {
  type Hex,
  createPublicClient,
  createWalletClient,
  encodeEventTopics,
  encodeFunctionData,
  http,
  keccak256,
  toBytes,
} from "viem";
import {
  english,
  generateMnemonic,
  generatePrivateKey,
  mnemonicToAccount,
  privateKeyToAccount,
  privateKeyToAddress,
  sign,
  toAccount,
} from "viem/accounts";
import {
  FlexiblePrivacyGroup,
  GROUP_PROXY_ADDRESS,
  PrivacyProvider,
  PrivateSigner,
  PrivateTransaction,
} from "../../src";
import { DEFAULT_NODES } from "../../src/network/defaults";
import {
  GROUP_ABI,
  InvalidPrivateTransactionError,
  PrivateAccountError,
  PrivateActionError,
  PrivateTransactionNotExecutedError,
  PrivateTransactionRevertedError,
  privateActions,
  privatePublicActions,
  sendPrivateTransaction,
} from "../../src/viem";
import { FlexiblePrivacyGroupManagement__factory, PrivateCounter__factory } from "../../typechain-types";
import { rejection } from "../helpers/client-network";
import { startTestNetwork } from "../helpers/network/network";
import { privateClients } from "../helpers/viem";

const { abi, bytecode } = PrivateCounter__factory;
const [KEY1, KEY2, KEY3] = DEFAULT_NODES.map((node) => node.enclaveKey);

describe("viem: flexible-privacy-groups/viem against the development network over HTTP", function () {
  this.timeout(60_000);
  let network: Awaited<ReturnType<typeof startTestNetwork>>;
  const clients = () => privateClients(network, (node) => http(node.url));

  before(async function () {
    network = await startTestNetwork();
  });
  after(async function () {
    await network.stop();
  });

  it("creates a group, deploys a contract privately, writes and reads it; a non-member node reads nothing", async function () {
    const [alice, bob, carol] = clients();
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    expect(await bob.getGroupMembers({ privacyGroupId })).to.deep.equal([KEY1, KEY2]);
    const { address } = await alice.deployPrivateContract({
      privacyGroupId,
      abi,
      bytecode: bytecode as Hex,
      args: [10n],
    });
    const receipt = await bob.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" });
    expect(receipt.outcome).to.equal("success");
    expect(receipt.logs).to.have.length(1);
    expect(await alice.readPrivateContract({ privacyGroupId, address, abi, functionName: "value" })).to.equal(1n);
    expect(await carol.getPrivateCode({ privacyGroupId, address })).to.equal(null);
  });

  it("decodes a private revert's custom error with its arguments", async function () {
    const [alice] = clients();
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const { address } = await alice.deployPrivateContract({
      privacyGroupId,
      abi,
      bytecode: bytecode as Hex,
      args: [0n],
    });
    const error = await rejection(
      alice.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" }),
    );
    expect(error).to.be.instanceOf(PrivateTransactionRevertedError);
    const reverted = error as PrivateTransactionRevertedError;
    expect(reverted.errorName).to.equal("CounterLimitReached");
    expect(reverted.args).to.deep.equal([1n, 0n]);
    expect(reverted.shortMessage).to.equal("the private transaction reverted with CounterLimitReached(1, 0)");
    expect(reverted.message).to.include("Docs: docs/viem.md#errors");
  });

  it("adds and removes members, locks (a send is then dropped) and unlocks, and reads the history", async function () {
    const [alice, bob, carol] = clients();
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    await alice.addGroupMembers({ privacyGroupId, members: [KEY3] });
    expect(await carol.getGroupMembers({ privacyGroupId })).to.deep.equal([KEY1, KEY2, KEY3]);
    await alice.removeGroupMember({ privacyGroupId, member: KEY2 });
    expect(await alice.getGroupMembers({ privacyGroupId })).to.deep.equal([KEY1, KEY3]);
    const { address } = await alice.deployPrivateContract({
      privacyGroupId,
      abi,
      bytecode: bytecode as Hex,
      args: [10n],
    });
    await alice.lockGroup({ privacyGroupId });
    const dropped = await rejection(
      carol.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" }),
    );
    expect(dropped).to.be.instanceOf(PrivateTransactionNotExecutedError);
    expect((dropped as PrivateTransactionNotExecutedError).outcome).to.equal("dropped");
    expect((dropped as PrivateTransactionNotExecutedError).reason).to.equal("locked");
    expect((dropped as PrivateTransactionNotExecutedError).shortMessage).to.match(
      /^the private transaction was dropped \(locked\)/,
    );
    await alice.unlockGroup({ privacyGroupId });
    expect(
      (await carol.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" })).outcome,
    ).to.equal("success");
    const history = await bob.getGroupHistory({ privacyGroupId });
    expect(history.map((change) => [change.kind, change.key])).to.deep.equal([
      ["added", KEY1],
      ["added", KEY2],
      ["added", KEY3],
      ["removed", KEY2],
    ]);
  });

  it("gives 20 concurrent sends from one account distinct nonces without gaps, and all land", async function () {
    const [alice] = clients();
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const { address } = await alice.deployPrivateContract({
      privacyGroupId,
      abi,
      bytecode: bytecode as Hex,
      args: [100n],
    });
    const receipts = await Promise.all(
      Array.from({ length: 20 }, () =>
        alice.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" }),
      ),
    );
    expect(receipts.every((receipt) => receipt.outcome === "success")).to.equal(true);
    expect(await alice.readPrivateContract({ privacyGroupId, address, abi, functionName: "value" })).to.equal(20n);
    expect(await alice.getPrivateTransactionCount({ address: alice.account.address, privacyGroupId })).to.equal(22);
  });

  it("shares a group with the ethers client: created by ethers, used by viem, and the other way round", async function () {
    const [alice, bob] = clients();
    const ethersBob = new PrivateSigner(
      new Wallet(DEFAULT_NODES[1].privateKey),
      KEY2,
      new PrivacyProvider(network.nodes[1].url),
    );
    const byEthers = await FlexiblePrivacyGroup.create(ethersBob, [KEY2, KEY1]);
    const { address } = await alice.deployPrivateContract({
      privacyGroupId: byEthers.privacyGroupId,
      abi,
      bytecode: bytecode as Hex,
      args: [5n],
    });
    await (await byEthers.attach(new PrivateCounter__factory(), address).increment()).wait();
    expect(
      await alice.readPrivateContract({ privacyGroupId: byEthers.privacyGroupId, address, abi, functionName: "value" }),
    ).to.equal(1n);

    const { privacyGroupId } = await bob.createFlexiblePrivacyGroup({ members: [KEY1] });
    expect(await FlexiblePrivacyGroup.at(ethersBob, privacyGroupId).members()).to.deep.equal([KEY2, KEY1]);
    ethersBob.provider.destroy();
  });

  it("reads through a public client with privatePublicActions", async function () {
    const [alice] = clients();
    const { privacyGroupId, receipt } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const reader = createPublicClient({ transport: http(network.nodes[1].url) }).extend(privatePublicActions());
    expect((await reader.getPrivateTransactionReceipt({ hash: receipt.markerHash }))?.outcome).to.equal("success");
    expect(await reader.findFlexiblePrivacyGroups({ members: [KEY2] })).to.deep.include({
      privacyGroupId,
      members: [KEY1, KEY2],
    });
  });

  it("an add that fails (a key already a member) unlocks the group again and throws the revert", async function () {
    const [alice] = clients();
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const error = await rejection(alice.addGroupMembers({ privacyGroupId, members: [KEY2] }));
    expect(error).to.be.instanceOf(PrivateTransactionRevertedError);
    expect(
      await alice.readPrivateContract({
        privacyGroupId,
        address: GROUP_PROXY_ADDRESS,
        abi: GROUP_ABI,
        functionName: "canExecute",
      }),
    ).to.equal(true);
    expect(await alice.getGroupMembers({ privacyGroupId })).to.deep.equal([KEY1, KEY2]);
  });

  it("names the reason of a drop: an addParticipants while the group is unlocked is unlockedForAdd", async function () {
    const [alice] = clients();
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const dropped = await rejection(
      alice.writePrivateContract({
        privacyGroupId,
        address: GROUP_PROXY_ADDRESS,
        abi: GROUP_ABI,
        functionName: "addParticipants",
        args: [[`0x${Buffer.from(KEY3, "base64").toString("hex")}`]],
      }),
    );
    expect(dropped).to.be.instanceOf(PrivateTransactionNotExecutedError);
    expect((dropped as PrivateTransactionNotExecutedError).reason).to.equal("unlockedForAdd");
  });

  it("upgrades a group to a management contract deployed in it, keeping its members", async function () {
    const [alice] = clients();
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const management = FlexiblePrivacyGroupManagement__factory;
    const { address } = await alice.deployPrivateContract({
      privacyGroupId,
      abi: management.abi,
      bytecode: management.bytecode as Hex,
    });
    await alice.upgradeGroup({ privacyGroupId, implementation: address });
    expect(
      await alice.readPrivateContract({
        privacyGroupId,
        address: GROUP_PROXY_ADDRESS,
        abi: GROUP_ABI,
        functionName: "implementation",
      }),
    ).to.equal(address);
    expect(await alice.getGroupMembers({ privacyGroupId })).to.deep.equal([KEY1, KEY2]);
  });

  it("signs, sends and waits step by step; reads logs by address and topic; a reverting read throws decoded", async function () {
    const [alice, , carol] = clients();
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const { address } = await alice.deployPrivateContract({
      privacyGroupId,
      abi,
      bytecode: bytecode as Hex,
      args: [5n],
    });
    const nonce = await alice.getPrivateTransactionCount({ address: alice.account.address, privacyGroupId });
    const data = encodeFunctionData({ abi, functionName: "increment" });
    const signed = await alice.signPrivateTransaction({ privacyGroupId, to: address, data, nonce });
    expect(PrivateTransaction.from(signed).from).to.equal(alice.account.address);
    // A legacy EEA transaction: recipients instead of a group, signed offline.
    const legacy = PrivateTransaction.from(await alice.signPrivateTransaction({ privateFor: [KEY2], to: address, data, nonce: 0 }));
    expect([legacy.privateFor, legacy.privacyGroupId, legacy.from]).to.deep.equal([[KEY2], null, alice.account.address]);
    const hash = await alice.sendPrivateTransaction({ privacyGroupId, to: address, data, nonce });
    const receipt = await alice.waitForPrivateTransactionReceipt({ hash });
    expect(receipt.outcome).to.equal("success");
    expect(await alice.getPrivateTransaction({ hash })).to.include({
      from: alice.account.address,
      to: address,
      nonce,
      input: data,
      privateFrom: KEY1,
      privacyGroupId,
      restriction: "restricted",
    });
    expect(await carol.getPrivateTransaction({ hash })).to.equal(null); // not a member: its enclave cannot read it
    // Its wait gives up a few reads after the marker is mined, not at the (here an hour's) timeout.
    const unavailable = await rejection(carol.waitForPrivateTransactionReceipt({ hash, pollingInterval: 1, timeout: 3_600_000 }));
    expect(unavailable).to.be.instanceOf(PrivateActionError);
    expect((unavailable as PrivateActionError).shortMessage).to.equal("no private receipt on this node");
    const topic = encodeEventTopics({ abi, eventName: "Counted" })[0];
    const logs = await alice.getPrivateLogs({
      privacyGroupId,
      address,
      topics: [topic],
      fromBlock: 0n,
      toBlock: receipt.blockNumber,
    });
    expect(logs.map((log) => log.transactionHash)).to.deep.equal([hash]);
    expect(
      await alice.callPrivate({
        privacyGroupId,
        to: address,
        data: encodeFunctionData({ abi, functionName: "value" }),
      }),
    ).to.equal(`0x${"0".repeat(63)}1`);
    // A simulated increment past the limit: priv_call answers the revert data, decoded against the ABI.
    const { address: full } = await alice.deployPrivateContract({
      privacyGroupId,
      abi,
      bytecode: bytecode as Hex,
      args: [0n],
    });
    const failure = await rejection(
      alice.readPrivateContract({ privacyGroupId, address: full, abi, functionName: "increment" as "value" }),
    );
    expect(failure).to.be.instanceOf(PrivateTransactionRevertedError);
    expect((failure as PrivateTransactionRevertedError).errorName).to.equal("CounterLimitReached");
    expect((failure as PrivateTransactionRevertedError).args).to.deep.equal([1n, 0n]);
  });

  it("watches a contract's events by polling priv_getLogs, decoded; the state root moves with each write", async function () {
    const [alice, bob] = clients();
    const { privacyGroupId } = await alice.createFlexiblePrivacyGroup({ members: [KEY2] });
    const { address } = await alice.deployPrivateContract({
      privacyGroupId,
      abi,
      bytecode: bytecode as Hex,
      args: [10n],
    });
    const seen: { eventName: string; args: unknown }[] = [];
    let errors = 0;
    const unwatch = bob.watchPrivateContractEvent({
      privacyGroupId,
      address,
      abi,
      pollingInterval: 20,
      onLogs: (logs) => seen.push(...logs.map(({ eventName, args }) => ({ eventName, args }))),
      onError: () => errors++,
    });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the first poll sets where watching starts
    const rootBefore = await alice.debugGetStateRoot({ privacyGroupId });
    await alice.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" });
    await alice.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" });
    expect(await alice.debugGetStateRoot({ privacyGroupId })).not.to.equal(rootBefore);
    for (let waited = 0; seen.length < 2 && waited < 2_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    unwatch();
    expect(errors).to.equal(0);
    expect(seen).to.deep.equal([
      { eventName: "Counted", args: { by: alice.account.address, value: 1n } },
      { eventName: "Counted", args: { by: alice.account.address, value: 2n } },
    ]);
  });

  it("signs with any account that signs a digest: a mnemonic's, and a custom sign such as a KMS", async function () {
    const node = network.nodes[0];
    const custom = (signingKey: Hex, address = privateKeyToAddress(signingKey)) =>
      toAccount({
        address,
        sign: ({ hash }) => sign({ hash, privateKey: signingKey, to: "hex" }), // what a KMS call would answer
        signMessage: () => Promise.reject(new Error("not used")),
        signTransaction: () => Promise.reject(new Error("not used")),
        signTypedData: () => Promise.reject(new Error("not used")),
      });
    const kmsKey = generatePrivateKey();
    for (const account of [mnemonicToAccount(generateMnemonic(english)), custom(kmsKey)]) {
      const client = createWalletClient({ account, transport: http(node.url) }).extend(privateActions({ enclaveKey: KEY1 }));
      const { privacyGroupId } = await client.createFlexiblePrivacyGroup({ members: [KEY2] });
      const { address } = await client.deployPrivateContract({ privacyGroupId, abi, bytecode: bytecode as Hex, args: [3n] });
      const receipt = await client.writePrivateContract({ privacyGroupId, address, abi, functionName: "increment" });
      expect(receipt.from).to.equal(account.address);
    }
    // A sign that answers for another key: refused before sending.
    const impostor = createWalletClient({
      account: custom(generatePrivateKey(), privateKeyToAddress(kmsKey)),
      transport: http(node.url),
    }).extend(privateActions({ enclaveKey: KEY1 }));
    const before = network.processed.length;
    const error = await impostor.createFlexiblePrivacyGroup({ members: [KEY2] }).then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).to.be.instanceOf(PrivateAccountError);
    expect((error as PrivateAccountError).shortMessage).to.equal("the account's signature does not recover to its address");
    expect(network.processed.length).to.equal(before);
  });

  describe("refuses before sending, as the ethers client does, and sends nothing", function () {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["a 31-byte group ID", { privacyGroupId: Buffer.alloc(31).toString("base64") }, /32 bytes/],
      ["an enclave key that is not 32 bytes", { enclaveKey: Buffer.alloc(31).toString("base64") }, /32/],
      ["a group ID that is not base64", { privacyGroupId: "not base64!" }, /base64/],
      ["an unknown restriction", { restriction: "open" }, /restriction must be "restricted" or "unrestricted"/],
      ["both privateFor and a group", { privateFor: [KEY2] }, /privateFor and privacyGroupId are mutually exclusive/],
    ];
    for (const [what, change, message] of cases) {
      it(what, async function () {
        const before = network.processed.length;
        const client = createWalletClient({
          account: privateKeyToAccount(DEFAULT_NODES[0].privateKey as Hex),
          transport: http(network.nodes[0].url),
        });
        const error = await rejection(
          sendPrivateTransaction(client, {
            enclaveKey: KEY1,
            privacyGroupId: Buffer.from(keccak256(toBytes("group")).slice(2), "hex").toString("base64"),
            data: "0x",
            nonce: 0,
            ...change,
          }),
        );
        expect(error).to.be.instanceOf(InvalidPrivateTransactionError);
        expect((error as Error).message).to.match(message);
        expect(network.processed.length).to.equal(before);
      });
    }

    it("an account that cannot sign a digest (a JSON-RPC account)", async function () {
      const client = createWalletClient({
        account: privateKeyToAccount(DEFAULT_NODES[0].privateKey as Hex).address,
        transport: http(network.nodes[0].url),
      });
      const error = await rejection(
        sendPrivateTransaction(client as never, {
          enclaveKey: KEY1,
          privacyGroupId: KEY2,
          nonce: 0,
        }),
      );
      expect(error).to.be.instanceOf(PrivateAccountError);
    });
  });
});
