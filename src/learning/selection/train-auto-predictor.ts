import type { LearnedPredictor } from "../../routing/learned/learned-predictor.js";
import type { OutcomeRow } from "../outcomes/outcome-row.js";
import type { LearnedTrainOptions } from "../training/train-options.js";
import { trainPredictor } from "../training/train-predictor.js";
import { selectRouter, type RouterSelection, type SelectRouterOptions } from "./select-router.js";

/** The name `train` and `eval` accept for "choose the kind by inner cross-validation". */
export const AUTO_ROUTER = "auto";

export type AutoTrainOptions = LearnedTrainOptions & Omit<SelectRouterOptions, "train" | keyof LearnedTrainOptions>;

/**
 * `--router auto`: selects a kind and settings by inner cross-validation on `rows`
 * (`selectRouter`), then trains the chosen one on all of `rows`.
 */
export async function trainAutoPredictor(
  rows: readonly OutcomeRow[],
  options: AutoTrainOptions,
): Promise<{ predictor: LearnedPredictor; selection: RouterSelection }> {
  const { onProgress, ...rest } = options;
  const selection = await selectRouter(rows, {
    ...rest,
    ...(onProgress ? { onProgress } : {}),
    train: (kind, trainRows, trainOptions) => trainPredictor(kind, trainRows, trainOptions),
  });
  const predictor = await trainPredictor(selection.chosen.kind, rows, {
    models: options.models,
    seed: options.seed,
    settings: selection.chosen.settings,
    ...(options.embedder ? { embedder: options.embedder } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  return { predictor, selection };
}
