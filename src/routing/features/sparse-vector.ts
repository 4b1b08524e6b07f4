/** A sparse vector over hashed feature indices (indices unique, in no particular order). */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/** Builds a sparse vector from a map of index → value. */
export function sparseFromMap(map: Map<number, number>): SparseVector {
  const indices = new Int32Array(map.size);
  const values = new Float32Array(map.size);
  let i = 0;
  for (const [index, value] of map) {
    indices[i] = index;
    values[i] = value;
    i++;
  }
  return { indices, values };
}

/** Scales a sparse vector to unit L2 norm in place (a zero vector stays zero). */
export function normalizeSparse(vector: SparseVector): SparseVector {
  let sum = 0;
  for (let i = 0; i < vector.values.length; i++) sum += (vector.values[i] ?? 0) ** 2;
  if (sum > 0) {
    const scale = 1 / Math.sqrt(sum);
    for (let i = 0; i < vector.values.length; i++) vector.values[i] = (vector.values[i] ?? 0) * scale;
  }
  return vector;
}

/** Dot product of a sparse vector with a dense weight array starting at `offset`. */
export function sparseDot(vector: SparseVector, weights: Float32Array, offset = 0): number {
  let sum = 0;
  const { indices, values } = vector;
  for (let i = 0; i < indices.length; i++) sum += (values[i] ?? 0) * (weights[offset + (indices[i] ?? 0)] ?? 0);
  return sum;
}

/** Float32Array ⇄ base64 (little-endian bytes) for JSON artifacts. */
export function encodeFloat32(array: Float32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString("base64");
}

export function decodeFloat32(text: string): Float32Array {
  const bytes = Buffer.from(text, "base64");
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer, 0, Math.floor(copy.length / 4));
}
