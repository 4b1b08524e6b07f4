import type { Command } from "commander";

// PLACEHOLDER: being implemented.
export function registerLogsCommand(program: Command): void {
  program.command("logs").description("(not implemented yet)").action(() => {
    throw new Error("logs: not implemented yet");
  });
}
