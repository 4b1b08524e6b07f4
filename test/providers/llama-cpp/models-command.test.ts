import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { listCachedFiles, registerModelsCommand } from "../../../src/cli/commands/models-command.js";
import { CliError } from "../../../src/cli/cli-error.js";

function cacheWithFiles(): string {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), "rightsize-models-"));
  const dir = path.join(cacheDir, "Qwen", "Qwen2.5-0.5B-Instruct-GGUF", "main");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "qwen2.5-0.5b-instruct-q8_0.gguf"), Buffer.alloc(2_500_000));
  writeFileSync(path.join(dir, "qwen2.5-0.5b-instruct-q4_k_m.gguf.partial"), Buffer.alloc(1_000));
  return cacheDir;
}

async function run(args: string[]): Promise<string> {
  const program = new Command("rightsize").exitOverride();
  registerModelsCommand(program);
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(["node", "rightsize", ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe("rightsize models", () => {
  it("lists cached files with sizes and marks incomplete downloads", async () => {
    const cacheDir = cacheWithFiles();
    const out = await run(["models", "list", "--cache-dir", cacheDir]);
    expect(out).toContain("hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q8_0.gguf");
    expect(out).toContain("2.5 MB");
    expect(out).toMatch(/q4_k_m\.gguf .*incomplete/);
    expect(out).toContain(`2 file(s)`);
    const files = await listCachedFiles(cacheDir);
    expect(files.map((file) => file.complete)).toEqual([false, true]);
  });

  it("pull finds a cached file without downloading", async () => {
    const cacheDir = cacheWithFiles();
    const out = await run([
      "models",
      "pull",
      "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q8_0.gguf",
      "--cache-dir",
      cacheDir,
    ]);
    expect(out).toMatch(/already in the cache/);
  });

  it("pull rejects a reference that is not hf:owner/repo/file.gguf", async () => {
    await expect(run(["models", "pull", "Qwen/model.gguf"])).rejects.toBeInstanceOf(CliError);
  });

  it("says so when the cache is empty", async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), "rightsize-models-"));
    expect(await run(["models", "list", "--cache-dir", cacheDir])).toMatch(/no models in/);
  });
});
