import { z } from "zod";
import { addCharNgrams, addWordNgrams, wordTokens } from "./hash-features.js";
import { HashCounter } from "./hash-counter.js";
import { decodeFloat32, encodeFloat32, normalizeSparse, type SparseVector } from "./sparse-vector.js";

export const tfidfSpecSchema = z.object({
  /** Hashed feature space size (a power of two is best). */
  dims: z
    .number()
    .int()
    .min(16)
    .max(1 << 22),
  /** Word n-gram range, e.g. [1, 2] for uni+bigrams. */
  wordNgrams: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
  /** Character n-gram range, or null for none. */
  charNgrams: z.tuple([z.number().int().min(1), z.number().int().min(1)]).nullable(),
  /** Weight of the context text (system prompt, earlier turns, tools) relative to the last user message. */
  contextWeight: z.number().min(0).default(0.3),
  /** Features seen in fewer documents are dropped. */
  minDf: z.number().int().min(1).default(1),
});
export type TfidfSpec = z.output<typeof tfidfSpecSchema>;

export const tfidfParamsSchema = z.object({ spec: tfidfSpecSchema, documents: z.number().int(), idf: z.string() });
export type TfidfParams = z.output<typeof tfidfParamsSchema>;

const wordSeed = 0x3a8f;
const charSeed = 0x71c3;
const contextSeed = 0x5bd1;

/**
 * TF-IDF over hashed word and character n-grams: sublinear term frequency (1 + ln tf),
 * smoothed idf fitted on the training texts (0 for features never seen there), L2-normalised.
 */
export class HashedTfidf {
  private constructor(
    readonly spec: TfidfSpec,
    readonly documents: number,
    private readonly idf: Float32Array,
  ) {}

  private static readonly mainCounts = new HashCounter();
  private static readonly contextCounts = new HashCounter();
  private static readonly weighted = new HashCounter();

  /** Counts the n-grams of a text into the two shared counters (cleared first). */
  private static count(spec: TfidfSpec, main: string, context: string): { main: HashCounter; context: HashCounter } {
    const counts = HashedTfidf.mainCounts;
    const contextCounts = HashedTfidf.contextCounts;
    counts.clear();
    contextCounts.clear();
    addWordNgrams(wordTokens(main), spec.wordNgrams[0], spec.wordNgrams[1], wordSeed, spec.dims, counts);
    if (spec.charNgrams) addCharNgrams(main, spec.charNgrams[0], spec.charNgrams[1], charSeed, spec.dims, counts);
    if (context && spec.contextWeight > 0) addWordNgrams(wordTokens(context), 1, 1, contextSeed, spec.dims, contextCounts);
    return { main: counts, context: contextCounts };
  }

  static fit(spec: TfidfSpec, texts: Iterable<{ main: string; context: string }>): HashedTfidf {
    const df = new Uint32Array(spec.dims);
    let documents = 0;
    for (const text of texts) {
      documents++;
      const { main, context } = HashedTfidf.count(spec, text.main, text.context);
      main.forEach((index) => {
        df[index] = (df[index] ?? 0) + 1;
      });
      context.forEach((index) => {
        df[index] = (df[index] ?? 0) + 1;
      });
    }
    const idf = new Float32Array(spec.dims);
    for (let i = 0; i < spec.dims; i++) {
      const d = df[i] ?? 0;
      idf[i] = d >= spec.minDf ? Math.log((1 + documents) / (1 + d)) + 1 : 0;
    }
    return new HashedTfidf(spec, documents, idf);
  }

  static fromParams(params: TfidfParams): HashedTfidf {
    const idf = decodeFloat32(params.idf);
    if (idf.length !== params.spec.dims) throw new Error(`tfidf idf has ${idf.length} entries, expected ${params.spec.dims}`);
    return new HashedTfidf(params.spec, params.documents, idf);
  }

  toParams(): TfidfParams {
    return { spec: this.spec, documents: this.documents, idf: encodeFloat32(this.idf) };
  }

  /** The L2-normalised TF-IDF vector of a text. */
  transform(main: string, context = ""): SparseVector {
    const counts = HashedTfidf.count(this.spec, main, context);
    const weighted = HashedTfidf.weighted;
    weighted.clear();
    counts.main.forEach((index, count) => {
      const w = (1 + Math.log(count)) * (this.idf[index] ?? 0);
      if (w > 0) weighted.add(index, w);
    });
    counts.context.forEach((index, count) => {
      const w = this.spec.contextWeight * (1 + Math.log(count)) * (this.idf[index] ?? 0);
      if (w > 0) weighted.add(index, w);
    });
    const indices = new Int32Array(weighted.size);
    const values = new Float32Array(weighted.size);
    let at = 0;
    weighted.forEach((index, value) => {
      indices[at] = index;
      values[at++] = value;
    });
    return normalizeSparse({ indices, values });
  }

  idfOf(index: number): number {
    return this.idf[index] ?? 0;
  }
}
