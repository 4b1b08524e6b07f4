import type { Command } from "commander";

// PLACEHOLDER: being implemented.
export function registerServeCommand(program: Command): void {
  program.command("serve").description("(not implemented yet)").action(() => {
    throw new Error("serve: not implemented yet");
  });
}
