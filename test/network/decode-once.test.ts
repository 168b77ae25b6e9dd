import { expect } from "chai";
import { decodePrivateTransaction } from "../../src/core/codec";
import type { DecodedSend } from "../../src/network/rpc/privacy-api";
import { RpcError } from "../../src/network/rpc/errors";
import { ExecutionMemo } from "../../src/network/state/node";
import { call, rpcError } from "../helpers/network/rpc";
import { signPrivateTx } from "../helpers/network/private-tx";
import { KEY1, KEY2, PROXY, SIGNER1, addData, newGroupId, receipt } from "../helpers/network/group";
import { startTestNetwork } from "../helpers/network/network";
import { BESU_DOCS_SIGNED_EXAMPLE } from "../helpers/signed-examples";

describe("network: a send's private transaction is decoded once, where the request enters", function () {
  let network: Awaited<ReturnType<typeof startTestNetwork>>;
  const seen: { method: string; send: DecodedSend | undefined }[] = [];

  before(async function () {
    network = await startTestNetwork();
    network.nodes[0].hooks.checkAccess = (context) => void seen.push({ method: context.method, send: context.send });
  });
  after(async () => network.stop());
  beforeEach(() => (seen.length = 0));

  it("the access check gets the decoded transaction the method then runs", async function () {
    const groupId = newGroupId();
    const raw = signPrivateTx(
      { nonce: 0, to: PROXY, data: addData([KEY1, KEY2]), privateFrom: KEY1, privacyGroupId: groupId, chainId: 1337 },
      SIGNER1.privateKey,
    );
    const markerHash = await call<string>(network.nodes[0].url, "eea_sendRawTransaction", [
      raw.toUpperCase().replace("0X", "0x"),
    ]);
    expect(seen).to.have.length(1);
    expect(seen[0].send?.tx).to.deep.equal(decodePrivateTransaction(raw));
    expect((await receipt(network.nodes[0].url, markerHash))!.status).to.equal("0x1");
    expect(seen.at(-1)!.send).to.equal(undefined); // priv_getTransactionReceipt carries no transaction
  });

  it("a transaction that does not decode reaches the check as Besu's error, which the method answers", async function () {
    expect(await rpcError(network.nodes[0].url, "priv_distributeRawTransaction", ["0x1234"])).to.deep.equal({
      code: -50100,
      message: "Unable to decode the private signed raw transaction",
    });
    expect(seen[0].send?.error).to.be.instanceOf(RpcError).with.property("code", -50100);
    await rpcError(network.nodes[0].url, "eea_sendRawTransaction", []);
    expect(seen[1].send).to.equal(undefined);
  });
});

describe("ExecutionMemo: the block takes the transaction decoded at send", function () {
  it("returns the remembered object for its raw until the block is processed", function () {
    const memo = new ExecutionMemo();
    const tx = memo.remember(decodePrivateTransaction(BESU_DOCS_SIGNED_EXAMPLE));
    expect(memo.decode(BESU_DOCS_SIGNED_EXAMPLE)).to.equal(tx);
    memo.clear();
    const again = memo.decode(BESU_DOCS_SIGNED_EXAMPLE);
    expect(again).to.not.equal(tx);
    expect(again).to.deep.equal(tx);
    expect(memo.decode(BESU_DOCS_SIGNED_EXAMPLE)).to.equal(again);
  });
});
