import { expect } from "chai";
import { SigningKey, Wallet, computeAddress } from "ethers";
import {
  BesuErrorCode,
  BesuRpcError,
  FlexiblePrivacyGroup,
  NonceTooLowError,
  PrivacyGroupNotFoundError,
  PrivacyProvider,
  PrivateSigner,
  PrivateSignerError,
  PrivateGroupProvider,
  PrivateTransaction,
  PrivateTransactionError,
  PrivateTransactionFailedError,
  SdkErrorCode,
  besuRpcError,
  generatePrivacyGroupId,
  type DigestSigner,
} from "../../src";
import { DEFAULT_NODES } from "../../src/network/defaults";
import { PrivateCounter__factory, type PrivateCounter } from "../../typechain-types";
import { KEY1, KEY2, KEY3, WALLET1, startClientNetwork, type ClientNetwork, rejection } from "../helpers/client-network";

const counterInterface = PrivateCounter__factory.createInterface();

function expectRpcError(error: unknown, code: BesuErrorCode, rpcCode: number): void {
  expect(error).to.be.instanceOf(BesuRpcError);
  expect((error as BesuRpcError).code).to.equal(code);
  expect((error as BesuRpcError).rpcCode).to.equal(rpcCode);
}

describe("client: PrivacyProvider's typed methods and Besu's errors, over HTTP", function () {
  let net: ClientNetwork;
  let group: FlexiblePrivacyGroup;
  let counter: PrivateCounter;
  let id: string;

  before(async function () {
    net = await startClientNetwork();
    group = await FlexiblePrivacyGroup.create(net.signers[0], [KEY1, KEY2]);
    id = group.privacyGroupId;
    counter = await group.deploy(new PrivateCounter__factory(), 100);
  });
  after(async () => net.stop());

  it("priv_getPrivacyPrecompileAddress and priv_debugGetStateRoot", async function () {
    const provider = net.providers[0];
    expect(await provider.getPrivacyPrecompileAddress()).to.equal("0x000000000000000000000000000000000000007d");
    const before = await provider.debugGetStateRoot(id, "latest");
    await (await counter.increment()).wait();
    const after = await provider.debugGetStateRoot(id, "latest");
    expect(after)
      .to.match(/^0x[0-9a-f]{64}$/)
      .and.not.equal(before);
    expect(await net.providers[1].debugGetStateRoot(id, "latest")).to.equal(after);
  });

  it("priv_call with from and gas, an unknown marker's transaction, and logs filtered by a list of addresses", async function () {
    const provider = net.providers[0];
    const address = await counter.getAddress();
    const value = await provider.privCall(id, {
      to: address,
      from: WALLET1.address,
      gasLimit: 100_000,
      data: counterInterface.encodeFunctionData("value"),
    });
    expect(BigInt(value)).to.equal(await counter.value());
    expect(await provider.getPrivateTransaction("0x" + "12".repeat(32))).to.equal(null);
    await (await counter.increment()).wait();
    const logs = await provider.privGetLogs(id, { address: [address, "0x" + "34".repeat(20)] });
    expect(logs.length).to.be.greaterThan(0);
    expect(logs.every((log) => log.address.toLowerCase() === address.toLowerCase())).to.equal(true);
  });

  it("filters: new, changes as ethers Logs, all logs, uninstall", async function () {
    const provider = net.providers[1];
    const filterId = await provider.privNewFilter(id, { address: await counter.getAddress() });
    await (await counter.increment()).wait();
    const changes = await provider.privGetFilterChanges(id, filterId);
    expect(changes).to.have.length(1);
    expect(counterInterface.parseLog(changes[0])!.name).to.equal("Counted");
    expect(await provider.privGetFilterChanges(id, filterId)).to.deep.equal([]);
    expect(await provider.privGetFilterLogs(id, filterId)).to.have.length.at.least(1);
    expect(await provider.privUninstallFilter(id, filterId)).to.equal(true);
    expectRpcError(await rejection(provider.privGetFilterChanges(id, filterId)), BesuErrorCode.FilterNotFound, -32000);
  });

  it("priv_getLogs by block range and by block hash", async function () {
    const receipt = await (await counter.increment()).wait();
    const byHash = await net.providers[0].privGetLogs(id, { blockHash: receipt!.blockHash });
    expect(byHash.map((log) => log.transactionHash)).to.deep.equal([receipt!.hash]);
    const byRange = await net.providers[0].privGetLogs(id, {
      fromBlock: receipt!.blockNumber,
      toBlock: receipt!.blockNumber,
    });
    expect(byRange).to.have.length(1);
  });

  it("priv_getEeaTransactionCount (legacy groups) and priv_traceTransaction", async function () {
    expect(await net.providers[0].getEeaTransactionCount(WALLET1.address, KEY1, [KEY2])).to.equal(0);
    const receipt = await (await counter.increment()).wait();
    const trace = (await net.providers[0].privTraceTransaction(id, receipt!.hash)) as { action?: { to?: string } }[];
    expect(trace.length).to.be.greaterThan(0);
    expect(trace[0].action?.to?.toLowerCase()).to.equal((await counter.getAddress()).toLowerCase());
    expect(await net.providers[0].privTraceTransaction(id, "0x" + "22".repeat(32))).to.deep.equal([]);
  });

  it("priv_getCode: code for a private contract, null for none", async function () {
    expect(await net.providers[0].privGetCode(id, await counter.getAddress())).to.match(/^0x[0-9a-f]{20,}/);
    expect(await net.providers[0].privGetCode(id, Wallet.createRandom().address)).to.equal(null);
  });

  it("priv_distributeRawTransaction, then a marker transaction of one's own", async function () {
    const signer = net.signerFor(0);
    const tx = await signer.signTransaction(
      PrivateTransaction.from({
        nonce: 0,
        gasLimit: 100_000,
        to: await counter.getAddress(),
        data: counterInterface.encodeFunctionData("increment"),
        chainId: 1337,
        privateFrom: KEY1,
        privacyGroupId: id,
      }),
    );
    const before = await counter.value();
    const enclaveKey = await net.providers[0].distributePrivateTransaction(tx);
    expect(enclaveKey).to.match(/^0x[0-9a-f]{64}$/);
    const payer = new Wallet(DEFAULT_NODES[0].privateKey, net.providers[0]);
    const marker = await payer.sendTransaction({
      to: await net.providers[0].getPrivacyPrecompileAddress(),
      data: enclaveKey,
      gasLimit: 100_000,
    });
    const receipt = await net.providers[0].waitForPrivateTransactionReceipt(marker.hash);
    expect(receipt.outcome).to.equal("success");
    expect(receipt.markerHash).to.equal(marker.hash);
    expect(await counter.value()).to.equal(before + 1n);
  });

  it("signs without a chain ID (v = 27/28), which Besu accepts", async function () {
    const signer = net.signerFor(0, Wallet.createRandom(), { chainId: null });
    const sent = await signer.sendTransaction(id, {
      to: await counter.getAddress(),
      data: counterInterface.encodeFunctionData("increment"),
    });
    expect(sent.transaction.chainId).to.equal(null);
    await sent.wait();
    const privateTx = await net.providers[0].getPrivateTransaction(sent.markerHash);
    expect([27n, 28n]).to.include(privateTx!.v);
    expect(privateTx!.from).to.equal(await signer.getAddress());
  });

  it("signs with anything that signs a digest (a KMS), and refuses one whose signature is not from its address", async function () {
    const key = new SigningKey(Wallet.createRandom().privateKey);
    const kms: DigestSigner = {
      getAddress: async () => computeAddress(key.publicKey),
      signDigest: async (digest) => key.sign(digest).serialized,
    };
    const signer = new PrivateSigner(kms, KEY2, net.providers[1]);
    const receipt = await (
      await signer.sendTransaction(id, {
        to: await counter.getAddress(),
        data: counterInterface.encodeFunctionData("increment"),
      })
    ).wait();
    expect(receipt.from).to.equal(computeAddress(key.publicKey));

    const other = new SigningKey(Wallet.createRandom().privateKey);
    const liar = new PrivateSigner(
      { getAddress: () => kms.getAddress(), signDigest: (digest) => other.sign(digest) },
      KEY2,
      net.providers[1],
    );
    const error = await rejection(liar.sendTransaction(id, { to: await counter.getAddress(), data: "0x" }));
    expect(error).to.be.instanceOf(PrivateSignerError);
    expect(() => new PrivateSigner({} as DigestSigner, KEY2, net.providers[1])).to.throw(PrivateSignerError);
  });

  it("Besu's refusals come back as named errors with their code", async function () {
    const provider = net.providers[0];
    const signer = net.signerFor(0);
    const sign = (fields: Parameters<typeof PrivateTransaction.from>[0] & object) =>
      signer.signTransaction(
        PrivateTransaction.from({
          gasLimit: 100_000,
          to: WALLET1.address,
          privateFrom: KEY1,
          privacyGroupId: id,
          ...fields,
        }),
      );

    expectRpcError(
      await rejection(provider.sendPrivateTransaction(await sign({ chainId: 1 }))),
      BesuErrorCode.WrongChainId,
      -32000,
    );
    const owner = net.signers[0];
    const used = await sign({});
    const stale = await owner.signTransaction(
      PrivateTransaction.from({ ...used.toJSON(), signature: null, nonce: 0, chainId: 1337 }),
    );
    const tooLow = await rejection(provider.sendPrivateTransaction(stale));
    expect(tooLow).to.be.instanceOf(NonceTooLowError);
    expectRpcError(tooLow, BesuErrorCode.NonceTooLow, -32001);

    const notFound = await rejection(
      provider.sendPrivateTransaction(await sign({ privacyGroupId: generatePrivacyGroupId(), chainId: 1337 })),
    );
    expect(notFound).to.be.instanceOf(PrivacyGroupNotFoundError);
    expectRpcError(notFound, BesuErrorCode.GroupNotFound, -50100);

    expectRpcError(
      await rejection(provider.send("priv_createPrivacyGroup", [{ addresses: [KEY1] }])),
      BesuErrorCode.MethodNotEnabled,
      -32604,
    );
    expectRpcError(
      await rejection(provider.send("priv_getTransaction", ["0x" + "00".repeat(32)])),
      BesuErrorCode.MethodNotFound,
      -32601,
    );
    expectRpcError(
      await rejection(provider.send("priv_getTransactionCount", [WALLET1.address])),
      BesuErrorCode.InvalidParams,
      -32602,
    );
    expectRpcError(
      await rejection(net.providers[2].getPrivateTransactionCount(WALLET1.address, "not a group id")),
      BesuErrorCode.InvalidParams,
      -32602,
    );
  });

  it("waiting ends with a named error: no private receipt on a non-member's node, or nothing mined in time", async function () {
    const receipt = await (await counter.increment()).wait();
    const unavailable = await rejection(net.providers[2].waitForPrivateTransactionReceipt(receipt!.hash));
    expect(unavailable).to.be.instanceOf(PrivateTransactionFailedError);
    expect((unavailable as PrivateTransactionFailedError).code).to.equal(BesuErrorCode.ReceiptUnavailable);
    const timeout = await rejection(
      net.providers[0].waitForPrivateTransactionReceipt("0x" + "11".repeat(32), { timeout: 100 }),
    );
    expect((timeout as PrivateTransactionFailedError).code).to.equal(BesuErrorCode.Timeout);
  });

  it("reads an HTTP 400/401 answer's JSON-RPC error body, with the request's id, instead of a bare HTTP failure", async function () {
    const invalid = { jsonrpc: "2.0", id: 7, params: [] } as unknown as Parameters<PrivacyProvider["_send"]>[0];
    const [answer] = (await net.providers[0]._send(invalid)) as unknown as { id: number; error: { code: number } }[];
    expect(answer.id).to.equal(7);
    expect(answer.error.code).to.equal(-32600);
    expectRpcError(besuRpcError("eth_chainId", answer.error), BesuErrorCode.InvalidRequest, -32600);
  });

  it("without batching (batchMaxCount 1), a request leaves at once, not after ethers' batch timer, and errors map the same", async function () {
    const provider = new PrivacyProvider(net.network.nodes[0].url, { batchMaxCount: 1, network: 1337 });
    const batching = new PrivacyProvider(net.network.nodes[0].url, { network: 1337 });
    try {
      const sent = (target: PrivacyProvider) => {
        const payloads: unknown[] = [];
        const send = target._send.bind(target);
        target._send = (payload) => (payloads.push(payload), send(payload));
        return payloads;
      };
      const direct = sent(provider);
      const timed = sent(batching);
      const answers = [provider.send("eth_blockNumber", []), batching.send("eth_blockNumber", [])];
      // Synchronously after send(): the direct request is out, the batching one waits for its timer.
      expect(direct).to.have.length(1);
      expect(timed).to.have.length(0);
      const [head, batchedHead] = await Promise.all(answers);
      expect(head).to.equal(batchedHead);
      expectRpcError(
        await rejection(provider.send("priv_getTransaction", ["0x" + "00".repeat(32)])),
        BesuErrorCode.MethodNotFound,
        -32601,
      );
      // A group's provider keeps its node's settings: no batching, and the known network.
      const scoped = new PrivateGroupProvider(provider, id);
      expect(scoped._getOption("batchMaxCount")).to.equal(1);
      expect(scoped._network.chainId).to.equal(1337n);
      scoped.destroy();
    } finally {
      provider.destroy();
      batching.destroy();
    }
  });

  it("refuses ether in a private transaction before sending it", async function () {
    const error = await rejection(group.runner.sendTransaction({ to: await counter.getAddress(), value: 1 }));
    expect(error).to.be.instanceOf(PrivateTransactionError);
    expect((error as PrivateTransactionError).code).to.equal(SdkErrorCode.ValueNotZero);
  });

  it("refuses bad input before sending anything", async function () {
    const error = await rejection(net.providers[0].sendPrivateTransaction("0xc0"));
    expect(error).to.be.instanceOf(PrivateTransactionError);
    expect((error as PrivateTransactionError).code).to.equal(SdkErrorCode.MalformedTransaction);
    expect(await FlexiblePrivacyGroup.find(net.providers[2], [KEY3])).to.deep.equal([]);
  });
});
