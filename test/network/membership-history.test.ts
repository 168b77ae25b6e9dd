import { expect } from "chai";
import { membershipHistoryFromLogs } from "../../src/core/history";
import { KEY1, KEY2, KEY3, PROXY, SIGNER1, addData, createGroup, lockData, receipt, removeData, sendPrivate } from "../helpers/network/group";
import { startTestNetwork } from "../helpers/network/network";
import { call } from "../helpers/network/rpc";

describe("network: a node's membership history of a group is built once per change, not per request", function () {
  it("answers the same history while the group is unchanged, and after a removal and a re-add matches a full rescan", async function () {
    const network = await startTestNetwork();
    try {
      const url = network.nodes[0].url;
      const view = network.nodes[0].privacy;
      const { groupId } = await createGroup(url, SIGNER1, KEY1, [KEY1, KEY2, KEY3]);
      const owner = async (data: string) => {
        const markerHash = await sendPrivate({ url, signer: SIGNER1, privateFrom: KEY1, groupId, to: PROXY, data });
        expect((await receipt(url, markerHash))?.status).to.equal("0x1");
      };
      const rescan = async () => {
        const logs = await call<{ address: string; data: string; topics: string[]; blockNumber: string; logIndex: string }[]>(
          url,
          "priv_getLogs",
          [groupId, { fromBlock: "earliest", toBlock: "latest" }],
        );
        return membershipHistoryFromLogs(logs);
      };

      const first = view.membershipHistory(groupId);
      expect(view.membershipHistory(groupId), "no change: the same history, not a new scan").to.equal(first);
      expect(first).to.deep.equal(await rescan());

      await owner(removeData(KEY3));
      await owner(lockData());
      await owner(addData([KEY3]));
      const after = view.membershipHistory(groupId);
      expect(after).to.not.equal(first);
      expect(after.map((change) => [change.kind, change.key])).to.deep.equal([
        ["added", KEY1],
        ["added", KEY2],
        ["added", KEY3],
        ["removed", KEY3],
        ["added", KEY3],
      ]);
      expect(after).to.deep.equal(await rescan());
      expect(view.membershipHistory(groupId)).to.equal(after);
      expect(view.membershipHistory("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")).to.deep.equal([]);
    } finally {
      await network.stop();
    }
  });
});
