/** The tasks of ./task-specs, registered on Hardhat 2 (loaded only when Hardhat 2 is the project's Hardhat). */
import { task, types } from "hardhat/config";
import { TASKS } from "./task-specs";

for (const spec of TASKS) {
  const definition = task(spec.id, spec.description);
  for (const param of spec.params) {
    const type = param.file === true ? types.inputFile : types.string;
    if (param.kind === "flag") definition.addFlag(param.name, param.description);
    else if (param.kind === "option") definition.addOptionalParam(param.name, param.description, undefined, type);
    else if (param.kind === "positional") definition.addPositionalParam(param.name, param.description, undefined, type);
    else definition.addOptionalPositionalParam(param.name, param.description, undefined, type);
  }
  definition.setAction(async (args, hre) => (await spec.action()).default(args, hre));
}
