import type { HashCounter } from "./hash-counter.js";

/** FNV-1a over a string's UTF-16 code units, mixed with a namespace seed. */
export function hashString(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Lower-cased word tokens; every run of digits becomes one token of its own. */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}_]+|\d+(?:[.,]\d+)*|[^\s\p{L}\d]/gu) ?? [];
}

/** Adds hashed word n-grams (n in [min, max]) to `counts`. */
export function addWordNgrams(tokens: readonly string[], min: number, max: number, seed: number, dims: number, counts: HashCounter): void {
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      let hash = (0x811c9dc5 ^ (seed + n * 7919)) >>> 0;
      for (let k = 0; k < n; k++) {
        const token = tokens[i + k] ?? "";
        for (let c = 0; c < token.length; c++) {
          hash ^= token.charCodeAt(c);
          hash = Math.imul(hash, 0x01000193);
        }
        hash ^= 0x20;
        hash = Math.imul(hash, 0x01000193);
      }
      const index = (hash >>> 0) % dims;
      counts.add(index);
    }
  }
}

/**
 * Adds hashed character n-grams (n in [min, max]) of the lower-cased, whitespace-collapsed
 * text to `counts`, with a rolling hash (no substrings are built).
 */
export function addCharNgrams(text: string, min: number, max: number, seed: number, dims: number, counts: HashCounter): void {
  const normal = ` ${text.toLowerCase().replace(/\s+/g, " ").trim()} `;
  for (let i = 0; i < normal.length; i++) {
    let hash = (0x811c9dc5 ^ seed) >>> 0;
    for (let n = 1; n <= max && i + n <= normal.length; n++) {
      hash ^= normal.charCodeAt(i + n - 1);
      hash = Math.imul(hash, 0x01000193);
      if (n >= min) {
        const index = ((hash ^ n) >>> 0) % dims;
        counts.add(index);
      }
    }
  }
}
