import type { Command } from "commander";

// PLACEHOLDER: being implemented.
export function registerTrainCommand(program: Command): void {
  program.command("train").description("(not implemented yet)").action(() => {
    throw new Error("train: not implemented yet");
  });
}
