import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { hfCachePath, hfDownloadUrl, parseHfReference, resolveCacheDir } from "../../../src/providers/llama-cpp/hf-reference.js";
import { ModelFileError } from "../../../src/providers/llama-cpp/model-file-error.js";
import { resolveModelSource } from "../../../src/providers/llama-cpp/resolve-model-source.js";

const ref = "hf:bartowski/SmolLM2-360M-Instruct-GGUF/SmolLM2-360M-Instruct-Q8_0.gguf";
const noNetwork: typeof fetch = () =>
  Promise.reject(new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND huggingface.co") }));

describe("hf: model references", () => {
  it("parses owner, repo, revision and file", () => {
    expect(parseHfReference(ref)).toEqual({
      owner: "bartowski",
      repo: "SmolLM2-360M-Instruct-GGUF",
      revision: "main",
      file: "SmolLM2-360M-Instruct-Q8_0.gguf",
    });
    expect(parseHfReference("hf:o/r:v1.0/sub/f.gguf")).toMatchObject({ revision: "v1.0", file: "sub/f.gguf" });
    expect(parseHfReference("hf:o/r/../../etc/passwd.gguf")).toBeNull();
    expect(parseHfReference("hf:o/r/file.bin")).toBeNull();
  });

  it("uses the cached file without touching the network", async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), "rightsize-cache-"));
    const parsed = parseHfReference(ref);
    if (!parsed) throw new Error("unparsed");
    const cached = hfCachePath(parsed, cacheDir);
    mkdirSync(path.dirname(cached), { recursive: true });
    writeFileSync(cached, "GGUF");
    await expect(resolveModelSource(ref, { cacheDir, fetchImpl: noNetwork })).resolves.toBe(cached);
  });

  it("says which URL to download and where to put the file when offline", async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), "rightsize-cache-"));
    const parsed = parseHfReference(ref);
    if (!parsed) throw new Error("unparsed");
    const error = await resolveModelSource(ref, { cacheDir, fetchImpl: noNetwork }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelFileError);
    const message = (error as Error).message;
    expect(message).toContain("https://huggingface.co/bartowski/SmolLM2-360M-Instruct-GGUF/resolve/main/SmolLM2-360M-Instruct-Q8_0.gguf");
    expect(message).toContain(hfCachePath(parsed, cacheDir));
    expect(message).toContain("ENOTFOUND");
    expect(hfDownloadUrl(parsed)).toMatch(/^https:\/\/huggingface\.co\//);
  });

  it("rejects a malformed reference", async () => {
    await expect(resolveModelSource("hf:just-a-name")).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it("finds the cache folder from config, then env, then ~/.cache", () => {
    expect(resolveCacheDir("/models")).toBe("/models");
    expect(resolveCacheDir(undefined, { RIGHTSIZE_MODELS_DIR: "/env/models" })).toBe("/env/models");
    expect(resolveCacheDir(undefined, { XDG_CACHE_HOME: "/xdg" })).toBe(path.join("/xdg", "rightsize", "models"));
    expect(resolveCacheDir(undefined, {})).toBe(path.join(os.homedir(), ".cache", "rightsize", "models"));
  });
});
