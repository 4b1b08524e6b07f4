import { createHash } from "node:crypto";

/** Settings of the near-duplicate check. */
export interface NearDuplicateOptions {
  /** Estimated Jaccard similarity of shingle sets at or above which two prompts are duplicates (default 0.8). */
  threshold?: number;
  /** Words per shingle (default 3). */
  shingle?: number;
  /** MinHash functions (default 128), in `bands` LSH bands (default 32; must divide `hashes`). */
  hashes?: number;
  bands?: number;
}

const MERSENNE = 0x7fffffff;

/** The text a duplicate check compares: lower-cased words, punctuation dropped. */
export function normalizeForDedup(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** FNV-1a 32-bit of a string. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Exact and near-duplicate prompts: an exact duplicate has the same normalized text (SHA-256);
 * a near one an estimated Jaccard similarity of word shingles ≥ `threshold`, estimated with
 * MinHash and found through LSH banding, so each check costs a few bucket lookups instead of a
 * comparison with every earlier prompt. Memory: one signature (hashes × 4 bytes) per kept prompt.
 * Deterministic: fixed hash seeds.
 */
export class NearDuplicateIndex {
  readonly threshold: number;
  private readonly shingle: number;
  private readonly hashes: number;
  private readonly bands: number;
  private readonly rows: number;
  private readonly a: Uint32Array;
  private readonly b: Uint32Array;
  private readonly exact = new Set<string>();
  private readonly buckets = new Map<string, number[]>();
  private readonly signatures: Uint32Array[] = [];

  constructor(options: NearDuplicateOptions = {}) {
    this.threshold = options.threshold ?? 0.8;
    this.shingle = options.shingle ?? 3;
    this.hashes = options.hashes ?? 128;
    this.bands = options.bands ?? 32;
    if (!(this.threshold > 0 && this.threshold <= 1)) throw new RangeError(`threshold must be in (0, 1], got ${this.threshold}`);
    if (this.hashes % this.bands !== 0) throw new RangeError(`bands (${this.bands}) must divide hashes (${this.hashes})`);
    this.rows = this.hashes / this.bands;
    this.a = new Uint32Array(this.hashes);
    this.b = new Uint32Array(this.hashes);
    let seed = 0x9e3779b9;
    const next = () => {
      seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      return seed;
    };
    for (let i = 0; i < this.hashes; i++) {
      this.a[i] = (next() % (MERSENNE - 1)) + 1;
      this.b[i] = next() % MERSENNE;
    }
  }

  /**
   * Checks a prompt against those added before: `exact`, `near` (with the similarity), or
   * undefined — in which case it is added, so later copies of it are found.
   */
  check(text: string): { kind: "exact" } | { kind: "near"; similarity: number } | undefined {
    const normalized = normalizeForDedup(text);
    const digest = createHash("sha256").update(normalized).digest("base64");
    if (this.exact.has(digest)) return { kind: "exact" };
    const signature = this.signature(normalized);
    const candidates = new Set<number>();
    const keys: string[] = [];
    for (let band = 0; band < this.bands; band++) {
      let key = `${band}:`;
      for (let r = 0; r < this.rows; r++) key += `${signature[band * this.rows + r]},`;
      keys.push(key);
      for (const index of this.buckets.get(key) ?? []) candidates.add(index);
    }
    for (const index of candidates) {
      const similarity = this.similarity(signature, this.signatures[index] as Uint32Array);
      if (similarity >= this.threshold) return { kind: "near", similarity };
    }
    this.exact.add(digest);
    const index = this.signatures.push(signature) - 1;
    for (const key of keys) {
      const bucket = this.buckets.get(key);
      if (bucket) bucket.push(index);
      else this.buckets.set(key, [index]);
    }
    return undefined;
  }

  /** Estimated Jaccard similarity of two prompts (the share of equal MinHash values). */
  compare(left: string, right: string): number {
    return this.similarity(this.signature(normalizeForDedup(left)), this.signature(normalizeForDedup(right)));
  }

  private similarity(x: Uint32Array, y: Uint32Array): number {
    let same = 0;
    for (let i = 0; i < this.hashes; i++) if (x[i] === y[i]) same++;
    return same / this.hashes;
  }

  private signature(normalized: string): Uint32Array {
    const words = normalized === "" ? [] : normalized.split(" ");
    const shingles = new Set<number>();
    if (words.length < this.shingle) shingles.add(fnv1a(words.join(" ")));
    else for (let i = 0; i + this.shingle <= words.length; i++) shingles.add(fnv1a(words.slice(i, i + this.shingle).join(" ")));
    const signature = new Uint32Array(this.hashes).fill(0xffffffff);
    for (const shingle of shingles) {
      const x = shingle % MERSENNE;
      for (let i = 0; i < this.hashes; i++) {
        // (a·x + b) mod (2^31 − 1), computed exactly with BigInt-free splitting
        const value = mulMod(this.a[i] as number, x) + (this.b[i] as number);
        const hashed = value >= MERSENNE ? value - MERSENNE : value;
        if (hashed < (signature[i] as number)) signature[i] = hashed;
      }
    }
    return signature;
  }
}

/** (a · x) mod (2^31 − 1) for a, x < 2^31 without overflowing doubles: split x into 16-bit halves. */
function mulMod(a: number, x: number): number {
  const high = x >>> 16;
  const low = x & 0xffff;
  let result = (a * high) % MERSENNE;
  result = (result * 65536) % MERSENNE;
  return (result + ((a * low) % MERSENNE)) % MERSENNE;
}
