import type { FeatureVector } from "../features/feature-extractor.js";
import { sigmoid } from "./learned-predictor.js";
import { SeededRandom } from "./seeded-random.js";

export interface TwoLayerShape {
  sparseDims: number;
  denseDims: number;
  hidden: number;
  outputs: number;
  /** "relu" for the MLP; "identity" gives a bilinear (matrix-factorisation) model. */
  activation: "relu" | "identity";
}

export interface TwoLayerTraining {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  onEpoch?: (epoch: number) => void;
}

/**
 * out_j = σ(b2_j + Σ_k W2[k,j]·act(b1_k + Σ_i x_i·W1[i,k])) over [sparse | dense] inputs, in
 * Float32Arrays; trained with AdaGrad on the cross-entropy of every known (row, model) score.
 */
export class TwoLayerNet {
  constructor(
    readonly shape: TwoLayerShape,
    /** Layout: W1 (inputs × hidden), b1 (hidden), W2 (hidden × outputs), b2 (outputs). */
    readonly weights: Float32Array,
  ) {
    if (weights.length !== TwoLayerNet.size(shape))
      throw new Error(`network has ${weights.length} weights, expected ${TwoLayerNet.size(shape)}`);
  }

  static size(s: TwoLayerShape): number {
    return (s.sparseDims + s.denseDims) * s.hidden + s.hidden + s.hidden * s.outputs + s.outputs;
  }

  static initial(shape: TwoLayerShape, seed: number, outputBias: readonly number[]): TwoLayerNet {
    const random = new SeededRandom(seed);
    const weights = new Float32Array(TwoLayerNet.size(shape));
    const h = shape.hidden;
    const w1 = (shape.sparseDims + shape.denseDims) * h;
    for (let i = 0; i < shape.sparseDims * h; i++) weights[i] = random.normal();
    const denseScale = 1 / Math.sqrt(Math.max(1, shape.denseDims));
    for (let i = shape.sparseDims * h; i < w1; i++) weights[i] = random.normal() * denseScale;
    const w2 = w1 + h;
    for (let i = 0; i < h * shape.outputs; i++) weights[w2 + i] = (random.normal() * 0.1) / Math.sqrt(h);
    outputBias.forEach((p, j) => {
      const q = Math.min(0.99, Math.max(0.01, p));
      weights[w2 + h * shape.outputs + j] = Math.log(q / (1 - q));
    });
    return new TwoLayerNet(shape, weights);
  }

  private offsets(): { b1: number; w2: number; b2: number } {
    const s = this.shape;
    const b1 = (s.sparseDims + s.denseDims) * s.hidden;
    return { b1, w2: b1 + s.hidden, b2: b1 + s.hidden + s.hidden * s.outputs };
  }

  /** Hidden pre-activations into `pre`, activations into `act`. */
  private hidden(vector: FeatureVector, pre: Float32Array, act: Float32Array): void {
    const { hidden: h, sparseDims } = this.shape;
    const w = this.weights;
    const { b1 } = this.offsets();
    for (let k = 0; k < h; k++) pre[k] = w[b1 + k] ?? 0;
    const { indices, values } = vector.sparse;
    for (let i = 0; i < indices.length; i++) {
      const row = (indices[i] ?? 0) * h;
      const x = values[i] ?? 0;
      for (let k = 0; k < h; k++) pre[k] = (pre[k] ?? 0) + x * (w[row + k] ?? 0);
    }
    for (let d = 0; d < vector.dense.length; d++) {
      const row = (sparseDims + d) * h;
      const x = vector.dense[d] ?? 0;
      for (let k = 0; k < h; k++) pre[k] = (pre[k] ?? 0) + x * (w[row + k] ?? 0);
    }
    for (let k = 0; k < h; k++) act[k] = this.shape.activation === "relu" ? Math.max(0, pre[k] ?? 0) : (pre[k] ?? 0);
  }

  predict(vector: FeatureVector): number[] {
    const { hidden: h, outputs } = this.shape;
    const pre = new Float32Array(h);
    const act = new Float32Array(h);
    this.hidden(vector, pre, act);
    const { w2, b2 } = this.offsets();
    const out: number[] = [];
    for (let j = 0; j < outputs; j++) {
      let z = this.weights[b2 + j] ?? 0;
      for (let k = 0; k < h; k++) z += (act[k] ?? 0) * (this.weights[w2 + k * outputs + j] ?? 0);
      out.push(sigmoid(z));
    }
    return out;
  }

  train(vectors: readonly FeatureVector[], scores: Float32Array, options: TwoLayerTraining): void {
    const { hidden: h, outputs: m, sparseDims } = this.shape;
    const w = this.weights;
    const squares = new Float32Array(w.length).fill(1e-6);
    const { b1, w2, b2 } = this.offsets();
    const pre = new Float32Array(h);
    const act = new Float32Array(h);
    const dHidden = new Float32Array(h);
    const random = new SeededRandom(options.seed + 1);
    const step = (at: number, g: number): void => {
      const gradient = g + options.l2 * (w[at] ?? 0);
      const sq = (squares[at] ?? 0) + gradient * gradient;
      squares[at] = sq;
      w[at] = (w[at] ?? 0) - (options.learningRate * gradient) / Math.sqrt(sq);
    };
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      for (const row of random.permutation(vectors.length)) {
        const vector = vectors[row];
        if (!vector) continue;
        this.hidden(vector, pre, act);
        dHidden.fill(0);
        for (let j = 0; j < m; j++) {
          const target = scores[row * m + j] ?? Number.NaN;
          if (Number.isNaN(target)) continue;
          let z = w[b2 + j] ?? 0;
          for (let k = 0; k < h; k++) z += (act[k] ?? 0) * (w[w2 + k * m + j] ?? 0);
          const g = sigmoid(z) - target;
          for (let k = 0; k < h; k++) {
            dHidden[k] = (dHidden[k] ?? 0) + g * (w[w2 + k * m + j] ?? 0);
            step(w2 + k * m + j, g * (act[k] ?? 0));
          }
          step(b2 + j, g);
        }
        for (let k = 0; k < h; k++) if (this.shape.activation === "relu" && (pre[k] ?? 0) <= 0) dHidden[k] = 0;
        for (let k = 0; k < h; k++) step(b1 + k, dHidden[k] ?? 0);
        const { indices, values } = vector.sparse;
        for (let i = 0; i < indices.length; i++) {
          const base = (indices[i] ?? 0) * h;
          const x = values[i] ?? 0;
          for (let k = 0; k < h; k++) step(base + k, (dHidden[k] ?? 0) * x);
        }
        for (let d = 0; d < vector.dense.length; d++) {
          const base = (sparseDims + d) * h;
          const x = vector.dense[d] ?? 0;
          for (let k = 0; k < h; k++) step(base + k, (dHidden[k] ?? 0) * x);
        }
      }
      options.onEpoch?.(epoch + 1);
    }
  }
}
