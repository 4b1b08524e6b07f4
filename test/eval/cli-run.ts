import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { routellmFile } from "./shared-data.js";

export { runCli } from "../support/run-cli.js";

export function tempDir(): (name: string) => string {
  const dir = mkdtempSync(path.join(tmpdir(), "rightsize-eval-"));
  return (name) => path.join(dir, name);
}

/** The first `count` GSM8K lines of the shared RouteLLM outcome file (after skipping `skip`), as text. */
export function gsm8kLines(count: number, skip = 0): string[] {
  const lines = readFileSync(routellmFile(), "utf8")
    .split("\n")
    .filter((line) => line.includes('"category":"gsm8k"'));
  return lines.slice(skip, skip + count);
}

export function writeLines(file: string, lines: string[]): string {
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

export const pairModels = "gpt-4-1106-preview,Mixtral-8x7B-Instruct-v0.1";
