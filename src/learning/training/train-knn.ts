import { IrtKnnPredictor, type IrtKnnSettings } from "../../routing/learned/irt-knn-predictor.js";
import { stackDocuments } from "../../routing/learned/inverted-index.js";
import { KnnPredictor, type KnnSettings } from "../../routing/learned/knn-predictor.js";
import { fitRasch } from "./rasch-fit.js";
import type { TrainingSet } from "./training-set.js";

/** Indexes the training rows' sparse features (each kept to its `topTerms` largest weights). */
export function trainKnn(set: TrainingSet, ids: readonly string[], settings: KnnSettings): KnnPredictor {
  const docs = stackDocuments(
    set.vectors.map((v) => v.sparse),
    settings.topTerms,
  );
  return new KnnPredictor(
    set.models,
    set.features,
    { meanScores: set.meanScores, meanOutputChars: set.meanOutputChars },
    settings,
    ids,
    docs,
    set.scores,
  );
}

/** The kNN index plus a Rasch fit of every model's ability and every row's difficulty. */
export function trainIrtKnn(set: TrainingSet, ids: readonly string[], settings: IrtKnnSettings): IrtKnnPredictor {
  const base = trainKnn(set, ids, settings);
  const { ability, difficulty } = fitRasch(set.scores, set.vectors.length, set.models.length);
  return new IrtKnnPredictor(
    set.models,
    set.features,
    base.common,
    settings,
    ids,
    base.indexDocs,
    set.scores,
    Array.from(ability),
    Float32Array.from(difficulty),
  );
}
