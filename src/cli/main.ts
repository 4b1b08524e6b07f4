import { Command, CommanderError } from "commander";
import { registerCalibrateCommand } from "./commands/calibrate-command.js";
import { registerConfigCommand } from "./commands/config-command.js";
import { registerEvalCommand } from "./commands/eval-command.js";
import { registerKeysCommand } from "./commands/keys-command.js";
import { registerExportCommand } from "./commands/export-command.js";
import { registerFeedbackCommand } from "./commands/feedback-command.js";
import { registerLogsCommand } from "./commands/logs-command.js";
import { registerModelsCommand } from "./commands/models-command.js";
import { registerRetrainCommand } from "./commands/retrain-command.js";
import { registerRouteCommand } from "./commands/route-command.js";
import { registerRouterCommand } from "./commands/router-command.js";
import { registerServeCommand } from "./commands/serve-command.js";
import { registerStatusCommand } from "./commands/status-command.js";
import { registerTrainCommand } from "./commands/train-command.js";
import { CliError } from "./cli-error.js";
import { exitQuietlyOnClosedPipe } from "./closed-pipe.js";

export function buildProgram(): Command {
  const program = new Command("rightsize")
    .description("Send every request to the smallest language model that answers it well.")
    .version("0.1.0")
    .exitOverride()
    .showHelpAfterError();
  registerServeCommand(program);
  registerRouteCommand(program);
  registerConfigCommand(program);
  registerLogsCommand(program);
  registerKeysCommand(program);
  registerFeedbackCommand(program);
  registerExportCommand(program);
  registerTrainCommand(program);
  registerCalibrateCommand(program);
  registerEvalCommand(program);
  registerModelsCommand(program);
  registerRouterCommand(program);
  registerRetrainCommand(program);
  registerStatusCommand(program);
  return program;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode;
    }
    if (error instanceof CliError) {
      process.stderr.write(`rightsize: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
