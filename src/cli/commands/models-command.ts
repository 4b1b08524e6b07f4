import type { Command } from "commander";

// PLACEHOLDER: being implemented.
export function registerModelsCommand(program: Command): void {
  program.command("models").description("(not implemented yet)").action(() => {
    throw new Error("models: not implemented yet");
  });
}
