import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { RightsizeError } from "../../core/errors.js";
import type { DownloadProgress } from "../../providers/llama-cpp/download-model-file.js";
import { hfCachePath, parseHfReference, resolveCacheDir } from "../../providers/llama-cpp/hf-reference.js";
import { resolveModelSource } from "../../providers/llama-cpp/resolve-model-source.js";
import { CliError } from "../cli-error.js";

interface CacheOptions {
  cacheDir?: string;
  json?: boolean;
}

interface CachedFile {
  reference: string;
  path: string;
  bytes: number;
  complete: boolean;
}

/** `rightsize models pull <hf:…>` and `rightsize models list`: the local GGUF cache. */
export function registerModelsCommand(program: Command): void {
  const models = program.command("models").description("Download and list local GGUF models (the llama-cpp provider's cache).");
  models
    .command("pull")
    .description("Download a GGUF file from Hugging Face into the cache (resumes an interrupted download).")
    .argument("<reference>", "hf:owner/repo/file.gguf")
    .option("--cache-dir <dir>", "cache folder (default: $RIGHTSIZE_MODELS_DIR or ~/.cache/rightsize/models)")
    .action(async (reference: string, options: CacheOptions) => {
      const ref = parseHfReference(reference);
      if (!ref) throw new CliError(`"${reference}" is not a Hugging Face reference; write it as hf:owner/repo/file.gguf`, 2);
      const cacheDir = resolveCacheDir(options.cacheDir);
      const target = hfCachePath(ref, cacheDir);
      if (await exists(target)) {
        process.stdout.write(`${reference} is already in the cache: ${target}\n`);
        return;
      }
      const bar = progressBar(process.stderr);
      try {
        const file = await resolveModelSource(reference, { cacheDir, onProgress: bar.update });
        bar.done();
        process.stdout.write(`downloaded ${reference} to ${file}\n`);
      } catch (error) {
        bar.done();
        if (error instanceof RightsizeError) throw new CliError(error.message, 1);
        throw error;
      }
    });
  models
    .command("list")
    .description("List the cached GGUF files and their sizes.")
    .option("--cache-dir <dir>", "cache folder (default: $RIGHTSIZE_MODELS_DIR or ~/.cache/rightsize/models)")
    .option("--json", "print JSON")
    .action(async (options: CacheOptions) => {
      const cacheDir = resolveCacheDir(options.cacheDir);
      const files = await listCachedFiles(cacheDir);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ cacheDir, files }, null, 2)}\n`);
        return;
      }
      if (files.length === 0) {
        process.stdout.write(`no models in ${cacheDir} (download one with: rightsize models pull hf:owner/repo/file.gguf)\n`);
        return;
      }
      const width = Math.max(...files.map((file) => file.reference.length));
      for (const file of files) {
        const note = file.complete ? "" : "  (incomplete: run models pull again to resume)";
        process.stdout.write(`${file.reference.padEnd(width)}  ${formatBytes(file.bytes).padStart(9)}${note}\n`);
      }
      const total = files.reduce((sum, file) => sum + file.bytes, 0);
      process.stdout.write(`${files.length} file(s), ${formatBytes(total)} in ${cacheDir}\n`);
    });
}

/** The cache layout is `<cacheDir>/<owner>/<repo>/<revision>/<file>`; anything else is skipped. */
export async function listCachedFiles(cacheDir: string): Promise<CachedFile[]> {
  const out: CachedFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith(".gguf") || entry.name.endsWith(".gguf.partial")) {
        const [owner, repo, revision, ...rest] = path.relative(cacheDir, full).split(path.sep);
        if (!owner || !repo || !revision || rest.length === 0) continue;
        const complete = !entry.name.endsWith(".partial");
        const file = rest.join("/").replace(/\.partial$/, "");
        const reference = `hf:${owner}/${repo}${revision === "main" ? "" : `:${revision}`}/${file}`;
        out.push({ reference, path: full, bytes: (await stat(full)).size, complete });
      }
    }
  };
  await walk(cacheDir);
  return out.sort((a, b) => a.reference.localeCompare(b.reference));
}

function progressBar(stream: NodeJS.WriteStream): { update: (progress: DownloadProgress) => void; done: () => void } {
  const started = Date.now();
  let lastDraw = 0;
  let lastPercent = -10;
  let drawn = false;
  return {
    update: ({ receivedBytes, totalBytes, resumedFromBytes }) => {
      const now = Date.now();
      const percent = totalBytes ? Math.floor((receivedBytes / totalBytes) * 100) : 0;
      if (stream.isTTY ? now - lastDraw < 100 && receivedBytes !== totalBytes : percent < lastPercent + 10) return;
      lastDraw = now;
      lastPercent = percent;
      const rate = (receivedBytes - resumedFromBytes) / Math.max(0.001, (now - started) / 1000);
      const filled = Math.round(percent / 5);
      const bar = totalBytes ? `[${"#".repeat(filled)}${".".repeat(20 - filled)}] ${String(percent).padStart(3)}% ` : "";
      const line = `${bar}${formatBytes(receivedBytes)}${totalBytes ? ` / ${formatBytes(totalBytes)}` : ""}  ${formatBytes(rate)}/s${resumedFromBytes > 0 ? " (resumed)" : ""}`;
      stream.write(stream.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
      drawn = true;
    },
    done: () => {
      if (drawn && stream.isTTY) stream.write("\n");
    },
  };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
