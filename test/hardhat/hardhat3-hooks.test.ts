import { expect } from "chai";
import os from "node:os";
import { PrivacyHelpers } from "../../src/hardhat/privacy";

// Hardhat 3's side of `privacy`: the hook handlers as Hardhat 3 loads and calls them (a category's module,
// its default export making the handlers, each handler given `next`). Hardhat 3 itself runs them in
// `npm run check:package` (examples/hardhat3-project), not here: it needs Node 22.
describe("the Hardhat 3 plugin's hooks", function () {
  this.timeout(60_000);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- module.exports itself, as Hardhat 3 imports it
  const plugin = require("../../src/hardhat") as {
    hookHandlers: Record<string, () => Promise<{ default: () => Promise<Record<string, unknown>> }>>;
  };

  async function handlers<T>(category: string): Promise<T> {
    const factory = (await plugin.hookHandlers[category]()).default;
    expect(factory, category).to.be.a("function");
    return (await factory()) as T;
  }

  type ConfigHandlers = {
    validateUserConfig(user: object): Promise<{ path: string[]; message: string }[]>;
    resolveUserConfig(
      user: object,
      resolve: unknown,
      next: (user: unknown, resolve: unknown) => Promise<object>,
    ): Promise<{ privacy: { config?: unknown } }>;
  };

  it("hooks the config, network and test categories", function () {
    expect(Object.keys(plugin.hookHandlers).sort()).to.deep.equal(["config", "network", "test"]);
  });

  it("turns a mistake in the privacy config into one of Hardhat's config errors, naming the option", async function () {
    const config = await handlers<ConfigHandlers>("config");
    expect(await config.validateUserConfig({})).to.deep.equal([]);
    expect(await config.validateUserConfig({ privacy: { networkConfig: "privacy-network.json" } })).to.deep.equal([]);
    const [error, ...more] = await config.validateUserConfig({ privacy: { networkConfg: "x.json" } });
    expect(more).to.deep.equal([]);
    expect(error.path).to.deep.equal(["privacy"]);
    expect(error.message).to.match(/no option "networkConfg"; the one option is networkConfig/);
  });

  it("resolves the privacy config against the project root, keeping what the other plugins resolved", async function () {
    const config = await handlers<ConfigHandlers>("config");
    const next = async () => ({ paths: { root: "/project" }, solidity: "kept" });
    const resolved = await config.resolveUserConfig({ privacy: { networkConfig: "net.json" } }, undefined, next);
    expect(resolved).to.include({ solidity: "kept" });
    expect(resolved.privacy.config).to.be.a("function");
    expect((await config.resolveUserConfig({}, undefined, next)).privacy).to.deep.equal({});
  });

  it("adds the storage layout to every compiler's output, without touching Hardhat's shared default", async function () {
    const config = await handlers<ConfigHandlers>("config");
    const hardhatDefault = { "*": { "": ["ast"], "*": ["abi", "evm.bytecode.object"] } };
    const compiler = () => ({ version: "0.8.30", settings: { outputSelection: hardhatDefault } });
    const next = async () => ({
      paths: { root: "/project" },
      solidity: {
        profiles: {
          default: { compilers: [compiler()], overrides: { "contracts/A.sol": compiler() } },
          production: { compilers: [compiler()], overrides: {} },
        },
      },
    });
    const resolved = (await config.resolveUserConfig({}, undefined, next)) as unknown as {
      solidity: {
        profiles: Record<
          string,
          {
            compilers: { settings: { outputSelection: typeof hardhatDefault } }[];
            overrides: Record<string, { settings: { outputSelection: typeof hardhatDefault } }>;
          }
        >;
      };
    };
    const { default: dev, production } = resolved.solidity.profiles;
    for (const each of [dev.compilers[0], dev.overrides["contracts/A.sol"], production.compilers[0]]) {
      expect(each.settings.outputSelection["*"]).to.deep.equal({
        "": ["ast"],
        "*": ["abi", "evm.bytecode.object", "storageLayout"],
      });
    }
    expect(hardhatDefault["*"]["*"]).to.deep.equal(["abi", "evm.bytecode.object"]);
  });

  it("gives each connection the same privacy helpers, whose network the end of the test run stops", async function () {
    type Connection = { id: number; privacy?: PrivacyHelpers };
    const network = await handlers<{
      newConnection(context: object, next: (context: object) => Promise<Connection>): Promise<Connection>;
    }>("network");
    const test = await handlers<{
      onTestRunDone(context: object, id: string, next: (context: object, id: string) => Promise<void>): Promise<void>;
    }>("test");
    // A root without chai: the matchers are not installed twice into this repository's chai.
    const context = { config: { paths: { root: os.tmpdir() }, privacy: {} } };
    let made = 0;
    const first = await network.newConnection(context, async () => ({ id: ++made }));
    const second = await network.newConnection(context, async () => ({ id: ++made }));
    expect([first.id, second.id]).to.deep.equal([1, 2]);
    expect(first.privacy).to.be.instanceOf(PrivacyHelpers);
    expect(second.privacy).to.equal(first.privacy);

    const [alice, bob] = await first.privacy!.signers();
    const group = await first.privacy!.createGroup(alice, [bob]);
    expect(await group.members()).to.deep.equal([alice.enclaveKey, bob.enclaveKey]);
    const running = await first.privacy!.network();

    let nextCalled = false;
    await test.onTestRunDone(context, "mocha", async () => {
      nextCalled = true;
    });
    expect(nextCalled).to.equal(true);
    // Stopped: its nodes no longer answer, and the helpers start a fresh network on the next use.
    const answered = await fetch(running.nodes[0].url, { method: "POST", body: "{}" }).then(
      () => true,
      () => false,
    );
    expect(answered).to.equal(false);
    const fresh = await first.privacy!.network();
    expect(fresh).not.to.equal(running);
    await test.onTestRunDone(context, "mocha", async () => undefined);
  });
});
