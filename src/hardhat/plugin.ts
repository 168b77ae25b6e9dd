/**
 * The Hardhat 3 plugin: `import fpg from "flexible-privacy-groups/hardhat"` and `plugins: [fpg]`. Plain
 * task definitions (what Hardhat 3's `task(...).build()` returns), so this CommonJS package never loads
 * Hardhat 3's ESM-only `hardhat/config`; each action is loaded by Hardhat when its task runs.
 */
import { hookHandlers } from "./hardhat3-hooks";
import { TASKS, type ActionModule, type ParamSpec } from "./task-specs";

// Hardhat 3's ArgumentType and TaskDefinitionType values (hardhat/types/arguments, hardhat/types/tasks).
const STRING = "STRING";
const OPTIONAL_STRING = "STRING_WITHOUT_DEFAULT";
const OPTIONAL_FILE = "FILE_WITHOUT_DEFAULT";
const FLAG = "FLAG";

function optionOf(param: ParamSpec) {
  if (param.kind === "flag") return { name: param.name, description: param.description, type: FLAG, defaultValue: false };
  return { name: param.name, description: param.description, type: param.file === true ? OPTIONAL_FILE : OPTIONAL_STRING, defaultValue: undefined };
}

export interface Hardhat3TaskDefinition {
  type: "NEW_TASK";
  id: string[];
  description: string;
  action: () => Promise<ActionModule>;
  options: Record<string, ReturnType<typeof optionOf>>;
  positionalArguments: { name: string; description: string; type: string; defaultValue: undefined; isVariadic: false }[];
}

const tasks: Hardhat3TaskDefinition[] = TASKS.map((spec) => ({
  type: "NEW_TASK",
  id: [spec.id],
  description: spec.description,
  action: spec.action,
  options: Object.fromEntries(
    spec.params.filter((p) => p.kind === "flag" || p.kind === "option").map((p) => [p.name, optionOf(p)]),
  ),
  positionalArguments: spec.params
    .filter((p) => p.kind === "positional" || p.kind === "optional-positional")
    .map((p) => ({
      name: p.name,
      description: p.description,
      // A required positional is a STRING without a default; an optional one a STRING_WITHOUT_DEFAULT.
      type: p.kind === "positional" ? STRING : OPTIONAL_STRING,
      defaultValue: undefined,
      isVariadic: false,
    })),
}));

/**
 * A Hardhat 3 plugin object (HardhatPlugin): the tasks, and hooks that give every network connection
 * `privacy` (see ./hardhat3-hooks). `tasks` and `hookHandlers` are typed loosely on purpose:
 * Hardhat 3's TaskDefinition types `type` with its string enums, which TypeScript does not match with the
 * literal "NEW_TASK", and this package builds against Hardhat 2, so it cannot name Hardhat 3's types;
 * with `unknown[]` or the precise type above, `plugins: [fpg]` would not type-check in a user's config.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export const plugin: { id: string; npmPackage: string; tasks: any[]; hookHandlers: Record<string, () => Promise<{ default: any }>> } = {
  id: "flexible-privacy-groups",
  npmPackage: "flexible-privacy-groups",
  tasks,
  hookHandlers,
};
