import type { Command } from "commander";

// PLACEHOLDER: being implemented.
export function registerRouteCommand(program: Command): void {
  program.command("route").description("(not implemented yet)").action(() => {
    throw new Error("route: not implemented yet");
  });
}
