import type { Command } from "commander";

// PLACEHOLDER: being implemented.
export function registerConfigCommand(program: Command): void {
  program.command("config").description("(not implemented yet)").action(() => {
    throw new Error("config: not implemented yet");
  });
}
