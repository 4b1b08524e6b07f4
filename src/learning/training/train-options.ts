import type { QualityPredictor } from "../../routing/learned/quality-predictor.js";
import type { Embedder } from "../../routing/features/embedder.js";
import type { EmbeddingModelSource } from "../../routing/features/embedding-model-source.js";
import type { OutcomeRow } from "../outcomes/outcome-row.js";

export interface TrainOptions {
  models: string[];
  seed: number;
  /** Kind-specific hyper-parameters. */
  settings?: Record<string, unknown>;
  onProgress?: (done: number, total: number, stage: string) => void;
}

/** Training options of the built-in kinds: an embedder instance may be passed besides the settings. */
export interface LearnedTrainOptions extends TrainOptions {
  embedder?: Embedder;
  /** The providers' embedding models, to build the embedder the settings name (when no `embedder` is given). */
  embeddingModels?: EmbeddingModelSource;
}

/** Trains a quality predictor on outcome rows (the contract between training, calibration and evaluation). */
export type TrainPredictor = (rows: readonly OutcomeRow[], options: TrainOptions) => Promise<QualityPredictor>;
