import { GenesisFileError } from "./genesis-file";

/** A refusal the user can act on: its message names the file, flag or variable at fault and what to do. */
export class UserError extends Error {
  override name = "UserError";
}

/**
 * Runs a task body. A UserError or a named genesis file error ends the task with its message and exit
 * code 1 and no stack trace (Hardhat prints stack traces on any Linux without a display, and a stack
 * trace would bury the one line that says what to do).
 */
export async function withUserErrors(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (!(error instanceof UserError || error instanceof GenesisFileError)) throw error;
    console.error(`Error: ${error.message}`);
    process.exitCode = 1;
  }
}
