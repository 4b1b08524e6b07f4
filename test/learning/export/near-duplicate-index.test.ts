import { describe, expect, it } from "vitest";
import { NearDuplicateIndex } from "../../../src/learning/export/near-duplicate-index.js";

const base = "the quick brown fox jumps over the lazy dog while the farmer watches from the old red barn at dawn";

describe("near-duplicate prompts (MinHash over word shingles)", () => {
  it("finds exact copies after normalization and near copies above the threshold, and keeps different prompts", () => {
    const index = new NearDuplicateIndex({ threshold: 0.7 });
    expect(index.check(base)).toBeUndefined();
    expect(index.check(`${base.toUpperCase()}!!`)).toEqual({ kind: "exact" });
    expect(index.check(`${base} today`)).toMatchObject({ kind: "near" });
    expect(index.check("an entirely different question about rivers, deltas and sediment")).toBeUndefined();
  });

  it("estimates Jaccard similarity of shingle sets within a few points", () => {
    const index = new NearDuplicateIndex({ hashes: 256, bands: 64 });
    // 20 words → 18 shingles; one word changed in the middle → 15 of 21 distinct shingles shared (J ≈ 0.714)
    const words = base.split(" ");
    const changed = [...words.slice(0, 10), "quietly", ...words.slice(11)].join(" ");
    expect(index.compare(base, changed)).toBeGreaterThan(0.6);
    expect(index.compare(base, changed)).toBeLessThan(0.82);
    expect(index.compare(base, base)).toBe(1);
  });

  it("is deterministic", () => {
    expect(new NearDuplicateIndex().compare(base, `${base} now`)).toBe(new NearDuplicateIndex().compare(base, `${base} now`));
  });
});
