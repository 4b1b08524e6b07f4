import { createHash } from "node:crypto";

/** Settings of the near-duplicate check. */
export interface NearDuplicateOptions {
  /** Estimated Jaccard similarity of shingle sets at or above which two prompts are duplicates (default 0.8). */
  threshold?: number;
  /** Words per shingle (default 3). */
  shingle?: number;
  /**
   * MinHash functions (default 128), in `bands` LSH bands (must divide `hashes`; default: the
   * banding whose S-curve threshold (1/bands)^(1/rows) is the highest at or below `threshold`, so
   * pairs near the threshold meet in a band and much less similar ones rarely do).
   */
  hashes?: number;
  bands?: number;
  /** Most recent prompts of one bucket compared with a new one (default 64): bounds the work on templated traffic. */
  bucketChecks?: number;
}

/** The banding for a threshold: the most rows per band whose S-curve threshold stays at or below it. */
export function chooseBands(hashes: number, threshold: number): number {
  let best = hashes;
  for (let bands = hashes; bands >= 1; bands--) {
    if (hashes % bands !== 0) continue;
    if ((1 / bands) ** (bands / hashes) <= threshold) best = bands;
  }
  return best;
}

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
 * comparison with every earlier prompt (at most `bucketChecks` per band: in a crowded bucket, a
 * near copy of a much older prompt can be missed). Memory: one signature (hashes × 4 bytes) per
 * kept prompt.
 * Deterministic: fixed hash seeds.
 */
export class NearDuplicateIndex {
  readonly threshold: number;
  private readonly shingle: number;
  private readonly hashes: number;
  private readonly bands: number;
  private readonly rows: number;
  private readonly bucketChecks: number;
  private readonly a: Uint32Array;
  private readonly b: Uint32Array;
  private readonly exact = new Set<string>();
  /** Band key → the kept prompt(s) in it: one index as a number (most buckets), several as an array. */
  private readonly buckets = new Map<number, number | number[]>();
  /** Per kept prompt, the check that last compared it (so a prompt met in several bands is compared once). */
  private seen = new Uint32Array(1024);
  private stamp = 0;
  /** Signatures of the kept prompts, one after another (`hashes` values each). */
  private signatures = new Uint32Array(0);
  private kept = 0;

  constructor(options: NearDuplicateOptions = {}) {
    this.threshold = options.threshold ?? 0.8;
    this.shingle = options.shingle ?? 3;
    this.hashes = options.hashes ?? 128;
    this.bands = options.bands ?? chooseBands(this.hashes, this.threshold);
    this.bucketChecks = options.bucketChecks ?? 64;
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
      this.a[i] = next() | 1;
      this.b[i] = next();
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
    const keys = this.bandKeys(signature);
    const allowed = Math.floor((1 - this.threshold) * this.hashes + 1e-9);
    this.stamp += 1;
    for (const key of keys) {
      const bucket = this.buckets.get(key);
      if (bucket === undefined) continue;
      const list = typeof bucket === "number" ? [bucket] : bucket;
      for (let i = Math.max(0, list.length - this.bucketChecks); i < list.length; i++) {
        const index = list[i] as number;
        if (this.seen[index] === this.stamp) continue;
        this.seen[index] = this.stamp;
        const similarity = this.similarityAtLeast(signature, index, allowed);
        if (similarity !== undefined) return { kind: "near", similarity };
      }
    }
    this.exact.add(digest);
    const index = this.keep(signature);
    for (const key of keys) {
      const bucket = this.buckets.get(key);
      if (bucket === undefined) this.buckets.set(key, index);
      else if (typeof bucket === "number") this.buckets.set(key, [bucket, index]);
      else bucket.push(index);
    }
    return undefined;
  }

  /** Appends a signature to the flat store (growing it by doubling); returns its index. */
  private keep(signature: Uint32Array): number {
    const index = this.kept++;
    if (this.kept * this.hashes > this.signatures.length) {
      const grown = new Uint32Array(Math.max(1024, this.signatures.length * 2));
      grown.set(this.signatures);
      this.signatures = grown;
    }
    this.signatures.set(signature, index * this.hashes);
    if (index >= this.seen.length) {
      const grown = new Uint32Array(this.seen.length * 2);
      grown.set(this.seen);
      this.seen = grown;
    }
    return index;
  }

  /** One number per band: its rows hashed together with the band's number (a collision only costs a comparison). */
  private bandKeys(signature: Uint32Array): number[] {
    const keys: number[] = [];
    for (let band = 0; band < this.bands; band++) {
      let h = Math.imul(band + 1, 0x9e3779b1);
      for (let r = 0; r < this.rows; r++) {
        h = Math.imul(h ^ (signature[band * this.rows + r] as number), 0x01000193);
        h ^= h >>> 15;
      }
      keys.push(h >>> 2); // 30 bits: small integers, cheap as Map keys
    }
    return keys;
  }

  /** Estimated Jaccard similarity of two prompts (the share of equal MinHash values). */
  compare(left: string, right: string): number {
    return this.similarity(this.signature(normalizeForDedup(left)), this.signature(normalizeForDedup(right)));
  }

  /** The similarity when at most `allowed` values differ; undefined as soon as more do. */
  private similarityAtLeast(x: Uint32Array, index: number, allowed: number): number | undefined {
    const y = this.signatures;
    const offset = index * this.hashes;
    let differ = 0;
    for (let i = 0; i < this.hashes; i++) {
      if (x[i] !== y[offset + i] && ++differ > allowed) return undefined;
    }
    return (this.hashes - differ) / this.hashes;
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
    const { a, b } = this;
    for (const shingle of shingles) {
      for (let i = 0; i < this.hashes; i++) {
        // h_i(x) = mix(a_i·x + b_i mod 2^32): 32-bit integer arithmetic only, then a xorshift-multiply finaliser
        let v = (Math.imul(shingle, a[i] as number) + (b[i] as number)) >>> 0;
        v ^= v >>> 16;
        v = Math.imul(v, 0x85ebca6b) >>> 0;
        v = (v ^ (v >>> 13)) >>> 0;
        if (v < (signature[i] as number)) signature[i] = v;
      }
    }
    return signature;
  }
}
