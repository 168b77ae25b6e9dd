import { expect } from "chai";
import { GROUP_ABI } from "../../src/core/group-abi";
import { FlexiblePrivacyGroupManagement__factory } from "../../typechain-types/factories/contracts/management/FlexiblePrivacyGroupManagement__factory";
import { FlexiblePrivacyGroupProxy__factory } from "../../typechain-types/factories/contracts/proxy/FlexiblePrivacyGroupProxy__factory";

describe("core group ABI (src/core/group-abi.ts, generated and committed)", function () {
  it("is the compiled management ABI with the proxy's functions and errors: run `node scripts/group-abi.mjs` if not", function () {
    const compiled = [
      ...FlexiblePrivacyGroupManagement__factory.abi,
      ...FlexiblePrivacyGroupProxy__factory.abi.filter((item) => item.type === "function" || item.type === "error"),
    ];
    expect(GROUP_ABI).to.deep.equal(compiled);
  });
});
