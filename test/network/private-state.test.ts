import { expect } from "chai";
import { AbiCoder } from "ethers";
import { applyGroupGenesis, privateCommon } from "../../src/network/state/evm";
import { EMPTY_TRIE_ROOT, PrivateGroup, Selectors, decodeKeyList, newPrivateStateContext } from "../../src/network/state/group";
import { packageGroupGenesis } from "../../src/network/defaults";
import { KEY1, KEY2, addData } from "../helpers/network/group";

const block = { number: 1, timestamp: 1n, coinbase: "0x" + "11".repeat(20), gasLimit: 30_000_000n, mixHash: "0x" + "00".repeat(32) };

describe("network: private state pieces", function () {
  it("reopens a group closed by the live-state pool at its root, with its state intact", async function () {
    const context = newPrivateStateContext(privateCommon(1337), () => undefined, 1);
    const groups = ["a", "b"].map((id) => PrivateGroup.fresh(id, context));
    for (const [i, group] of groups.entries()) {
      await applyGroupGenesis(group.stateManager, packageGroupGenesis());
      const created = await group.executor.run({ caller: "0x" + String(i + 1).repeat(40), to: "0x000000000000000000000000000000000000007c", data: addData([KEY1, KEY2]) }, block);
      expect(created.execResult.exceptionError).to.equal(undefined);
      await group.recordSuccess({ markerHash: "0x" + String(i).repeat(64), blockNumber: 1, transactionIndex: i });
    }
    expect(groups[0].headRoot).to.not.equal(EMPTY_TRIE_ROOT);
    const participants = await groups[0].simulate(Selectors.getParticipants, block); // reopened: b was the last open
    expect(decodeKeyList(participants.output)).to.deep.equal([KEY1, KEY2]);
    expect(groups[0].rootAt(1)).to.equal(groups[0].headRoot);
    expect(groups[0].rootAt(0)).to.equal(EMPTY_TRIE_ROOT);
  });

  it("decodes a bytes[] key list as Besu does: keys of one length, anything else as none", function () {
    const abi = AbiCoder.defaultAbiCoder();
    const key = (size: number, fill: number) => "0x" + fill.toString(16).padStart(2, "0").repeat(size);
    expect(decodeKeyList(abi.encode(["bytes[]"], [[key(32, 1), key(32, 2)]]))).to.deep.equal([
      Buffer.alloc(32, 1).toString("base64"),
      Buffer.alloc(32, 2).toString("base64"),
    ]);
    expect(decodeKeyList(abi.encode(["bytes[]"], [[key(32, 1), key(91, 2)]]))).to.deep.equal([]);
    expect(decodeKeyList(abi.encode(["bytes[]"], [[]]))).to.deep.equal([]);
    expect(decodeKeyList("0x")).to.deep.equal([]);
    expect(decodeKeyList("0x" + "ff".repeat(64))).to.deep.equal([]);
  });
});
