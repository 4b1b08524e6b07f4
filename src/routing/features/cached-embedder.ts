import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Embedder } from "./embedder.js";
import { decodeFloat32, encodeFloat32 } from "./sparse-vector.js";

/** Wraps an embedder with an on-disk cache: one file per (embedder id, text) hash. */
export class CachedEmbedder implements Embedder {
  readonly id: string;
  /** Counters for tests and logs. */
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    private readonly inner: Embedder,
    private readonly dir: string,
  ) {
    this.id = inner.id;
  }

  private file(text: string): string {
    const key = createHash("sha256").update(this.inner.id).update("\u0000").update(text).digest("hex");
    return path.join(this.dir, key.slice(0, 2), `${key}.f32`);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out = new Array<Float32Array | undefined>(texts.length);
    const missing: number[] = [];
    await Promise.all(
      texts.map(async (text, i) => {
        try {
          out[i] = decodeFloat32(await readFile(this.file(text), "utf8"));
          this.stats.hits++;
        } catch {
          missing.push(i);
        }
      }),
    );
    missing.sort((a, b) => a - b);
    if (missing.length) {
      this.stats.misses += missing.length;
      const fresh = await this.inner.embed(missing.map((i) => texts[i] ?? ""));
      await Promise.all(
        missing.map(async (textIndex, k) => {
          const vector = fresh[k] ?? new Float32Array(0);
          out[textIndex] = vector;
          const target = this.file(texts[textIndex] ?? "");
          await mkdir(path.dirname(target), { recursive: true });
          const temp = `${target}.${process.pid}.tmp`;
          await writeFile(temp, encodeFloat32(vector));
          await rename(temp, target);
        }),
      );
    }
    return out.map((vector) => vector ?? new Float32Array(0));
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}
