import type { Command } from "commander";

// PLACEHOLDER: being implemented.
export function registerEvalCommand(program: Command): void {
  program.command("eval").description("(not implemented yet)").action(() => {
    throw new Error("eval: not implemented yet");
  });
}
