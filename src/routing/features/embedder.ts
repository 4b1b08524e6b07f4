/** Turns texts into dense vectors (one per text, all of one length). */
export interface Embedder {
  /** Stable id of the embedder and its model: part of the cache key. */
  readonly id: string;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  close?(): Promise<void>;
}
