import { expect } from "chai";
import { TASKS } from "../../src/hardhat/task-specs";

// What Hardhat 3 reads from `plugins: [fpg]`. Hardhat 3 itself runs in `npm run check:package`
// (examples/hardhat3-consumer), not here: it needs Node 22 and is not a dependency of this repository.
describe("flexible-privacy-groups/hardhat as a Hardhat 3 plugin", function () {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- module.exports itself is under test
  const exported = require("../../src/hardhat") as {
    id: string;
    tasks: { type: string; id: string[]; action: () => Promise<{ default: unknown }>; options: object; positionalArguments: { type: string }[] }[];
  };

  it("is module.exports itself, which an ESM `import fpg from` receives as its default", function () {
    expect(exported).not.to.have.property("default");
    expect(exported.id).to.equal("flexible-privacy-groups");
  });

  it("declares every task, each with an action module whose default export is a function", async function () {
    expect(exported.tasks.map((t) => t.id)).to.deep.equal(TASKS.map((t) => [t.id]));
    for (const definition of exported.tasks) {
      expect(definition.type).to.equal("NEW_TASK");
      expect(typeof (await definition.action()).default, definition.id[0]).to.equal("function");
    }
  });

  it("spells the options and positional arguments as Hardhat 3 does", function () {
    const byId = Object.fromEntries(exported.tasks.map((t) => [t.id[0], t]));
    expect(byId["fpg:export"].options).to.deep.include({
      check: { name: "check", description: TASKS[0].params[0].description, type: "FLAG", defaultValue: false },
    });
    expect(Object.keys(byId["fpg:verify"].options)).to.deep.equal(["rpc", "privacyGroupId", "manifest"]);
    expect(byId["fpg:verify"].positionalArguments.map((a) => a.type)).to.deep.equal(["STRING_WITHOUT_DEFAULT"]);
    expect(byId["fpg:check-upgrade"].positionalArguments.map((a) => a.type)).to.deep.equal(["STRING"]);
    expect((byId["fpg:node"].options as Record<string, { type: string }>).networkConfig.type).to.equal("FILE_WITHOUT_DEFAULT");
  });
});
