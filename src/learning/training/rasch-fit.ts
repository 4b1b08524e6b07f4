import { sigmoid } from "../../routing/learned/learned-predictor.js";

/**
 * Fits a Rasch (1PL IRT) model to an n × m score matrix: P(score_rm) = σ(ability_m − difficulty_r),
 * by damped Newton steps alternating over difficulties and abilities, with a Gaussian prior
 * on difficulties (precision `priorPrecision`) so rows seen by few models stay near 0.
 * Missing scores are NaN. Deterministic.
 */
export function fitRasch(
  scores: Float32Array,
  rows: number,
  models: number,
  iterations = 30,
  priorPrecision = 0.5,
): { ability: Float64Array; difficulty: Float64Array } {
  const ability = new Float64Array(models);
  const difficulty = new Float64Array(rows);
  for (let j = 0; j < models; j++) {
    let sum = 0;
    let n = 0;
    for (let r = 0; r < rows; r++) {
      const s = scores[r * models + j] ?? Number.NaN;
      if (!Number.isNaN(s)) {
        sum += s;
        n++;
      }
    }
    const p = Math.min(0.99, Math.max(0.01, n ? sum / n : 0.5));
    ability[j] = Math.log(p / (1 - p));
  }
  for (let iteration = 0; iteration < iterations; iteration++) {
    for (let r = 0; r < rows; r++) {
      let gradient = -priorPrecision * (difficulty[r] ?? 0);
      let curvature = priorPrecision;
      for (let j = 0; j < models; j++) {
        const s = scores[r * models + j] ?? Number.NaN;
        if (Number.isNaN(s)) continue;
        const p = sigmoid((ability[j] ?? 0) - (difficulty[r] ?? 0));
        gradient += p - s;
        curvature += p * (1 - p);
      }
      difficulty[r] = Math.max(-8, Math.min(8, (difficulty[r] ?? 0) + gradient / curvature));
    }
    for (let j = 0; j < models; j++) {
      let gradient = 0;
      let curvature = 1e-6;
      for (let r = 0; r < rows; r++) {
        const s = scores[r * models + j] ?? Number.NaN;
        if (Number.isNaN(s)) continue;
        const p = sigmoid((ability[j] ?? 0) - (difficulty[r] ?? 0));
        gradient += s - p;
        curvature += p * (1 - p);
      }
      ability[j] = (ability[j] ?? 0) + gradient / curvature;
    }
  }
  return { ability, difficulty };
}
