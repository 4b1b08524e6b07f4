import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { routellmFile } from "./shared-data.js";

/** Runs the CLI in-process and captures stdout and stderr. */
export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    const code = await main(["node", "rightsize", ...args]);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

export function tempDir(): (name: string) => string {
  const dir = mkdtempSync(path.join(tmpdir(), "rightsize-eval-"));
  return (name) => path.join(dir, name);
}

/** The first `count` GSM8K lines of the shared RouteLLM outcome file (after skipping `skip`), as text. */
export function gsm8kLines(count: number, skip = 0): string[] {
  const lines = readFileSync(routellmFile(), "utf8").split("\n").filter((line) => line.includes('"category":"gsm8k"'));
  return lines.slice(skip, skip + count);
}

export function writeLines(file: string, lines: string[]): string {
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

export const pairModels = "gpt-4-1106-preview,Mixtral-8x7B-Instruct-v0.1";
