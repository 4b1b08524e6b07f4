import type { Command } from "commander";

// PLACEHOLDER: being implemented.
export function registerCalibrateCommand(program: Command): void {
  program.command("calibrate").description("(not implemented yet)").action(() => {
    throw new Error("calibrate: not implemented yet");
  });
}
