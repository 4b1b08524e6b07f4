import type { SparseVector } from "../features/sparse-vector.js";

/** Documents as CSR rows (docStart, terms, weights), searchable through term postings. */
export interface SparseDocuments {
  docStart: Int32Array;
  terms: Int32Array;
  weights: Float32Array;
}

/** Keeps each vector's `top` largest entries (all when top ≤ 0) and stacks them as CSR rows. */
export function stackDocuments(vectors: readonly SparseVector[], top: number): SparseDocuments {
  const kept = vectors.map((vector) => {
    const order = Array.from(vector.indices.keys()).sort((a, b) => (vector.values[b] ?? 0) - (vector.values[a] ?? 0));
    return top > 0
      ? order.slice(0, top).map((i) => [vector.indices[i] ?? 0, vector.values[i] ?? 0] as const)
      : order.map((i) => [vector.indices[i] ?? 0, vector.values[i] ?? 0] as const);
  });
  const total = kept.reduce((sum, entries) => sum + entries.length, 0);
  const docStart = new Int32Array(vectors.length + 1);
  const terms = new Int32Array(total);
  const weights = new Float32Array(total);
  let at = 0;
  kept.forEach((entries, d) => {
    docStart[d] = at;
    for (const [term, weight] of entries) {
      terms[at] = term;
      weights[at] = weight;
      at++;
    }
  });
  docStart[vectors.length] = at;
  return { docStart, terms, weights };
}

/** A term → postings index over sparse documents, for fast dot-product top-k search. */
export class InvertedIndex {
  private readonly termStart: Int32Array;
  private readonly postingDoc: Int32Array;
  private readonly postingWeight: Float32Array;
  private readonly scores: Float32Array;
  private readonly touched: Int32Array;

  constructor(
    readonly docs: SparseDocuments,
    dims: number,
  ) {
    const n = docs.docStart.length - 1;
    const counts = new Int32Array(dims + 1);
    for (const term of docs.terms) counts[term + 1] = (counts[term + 1] ?? 0) + 1;
    for (let t = 0; t < dims; t++) counts[t + 1] = (counts[t + 1] ?? 0) + (counts[t] ?? 0);
    this.termStart = counts;
    const fill = counts.slice(0, dims);
    this.postingDoc = new Int32Array(docs.terms.length);
    this.postingWeight = new Float32Array(docs.terms.length);
    for (let d = 0; d < n; d++) {
      for (let p = docs.docStart[d] ?? 0; p < (docs.docStart[d + 1] ?? 0); p++) {
        const term = docs.terms[p] ?? 0;
        const at = fill[term] ?? 0;
        this.postingDoc[at] = d;
        this.postingWeight[at] = docs.weights[p] ?? 0;
        fill[term] = at + 1;
      }
    }
    this.scores = new Float32Array(n);
    this.touched = new Int32Array(n);
  }

  get size(): number {
    return this.scores.length;
  }

  /**
   * The k documents with the largest dot product with the query (ties: lower index first).
   * Terms found in more than `maxPostings` documents (stop-word-like, tiny idf) are skipped.
   */
  search(query: SparseVector, k: number, exclude = -1, maxPostings = Infinity): Array<{ doc: number; similarity: number }> {
    const { scores, touched, termStart, postingDoc, postingWeight } = this;
    let touchedCount = 0;
    for (let q = 0; q < query.indices.length; q++) {
      const term = query.indices[q] ?? 0;
      const weight = query.values[q] ?? 0;
      const end = termStart[term + 1] ?? 0;
      if (end - (termStart[term] ?? 0) > maxPostings) continue;
      for (let p = termStart[term] ?? 0; p < end; p++) {
        const doc = postingDoc[p] ?? 0;
        if (scores[doc] === 0) touched[touchedCount++] = doc;
        scores[doc] = (scores[doc] ?? 0) + weight * (postingWeight[p] ?? 0) + 1e-30;
      }
    }
    const best: Array<{ doc: number; similarity: number }> = [];
    for (let t = 0; t < touchedCount; t++) {
      const doc = touched[t] ?? 0;
      const similarity = scores[doc] ?? 0;
      scores[doc] = 0;
      if (doc === exclude) continue;
      if (best.length === k && similarity <= (best[k - 1]?.similarity ?? 0)) continue;
      let at = best.length;
      while (
        at > 0 &&
        ((best[at - 1]?.similarity ?? 0) < similarity || ((best[at - 1]?.similarity ?? 0) === similarity && (best[at - 1]?.doc ?? 0) > doc))
      )
        at--;
      best.splice(at, 0, { doc, similarity });
      if (best.length > k) best.pop();
    }
    return best;
  }
}
