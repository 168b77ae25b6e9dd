import { expect } from "chai";
import { defaultNetworkConfig } from "../../src/network/defaults";
import { type ChainBlock, PublicChain } from "../../src/network/chain/public-chain";

describe("network: public chain", function () {
  it("hands every block mined since the last call to the privacy layer, once each and in order", async function () {
    const chain = await PublicChain.start(defaultNetworkConfig());
    const seen: ChainBlock[] = [];
    const collect = async (block: ChainBlock) => void seen.push(block);
    for (let i = 0; i < 3; i++) await chain.provider.request({ method: "evm_mine" });
    await chain.follow(collect);
    await chain.follow(collect); // nothing new
    await chain.provider.request({ method: "evm_mine" });
    await chain.follow(collect);
    expect(seen.map((block) => block.number)).to.deep.equal([1, 2, 3, 4]);
    expect(chain.head).to.equal(4);
    for (const block of seen) expect(chain.blockByHash(block.hash)?.number).to.equal(block.number);
  });
});
