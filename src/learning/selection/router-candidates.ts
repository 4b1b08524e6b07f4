/** One point of the auto-selection grid: a router kind with settings. */
export interface RouterCandidate {
  /** Short label for tables, e.g. "knn k=50". */
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  /** A baseline to read the others against (random), never chosen. */
  baseline?: boolean;
}

const wordOnly = { stats: false };

/**
 * The grid `--router auto` chooses from: each kind's key setting (k, regularisation, feature
 * sets) at a few values, and their ensemble. `random` is in it as the floor every figure is read
 * against; it is never chosen (on a few hundred rows it can win a fold split by luck).
 * Kept small so a few thousand rows cross-validate in about a minute on one core.
 */
export const defaultRouterCandidates: readonly RouterCandidate[] = [
  { name: "random", kind: "random", settings: {}, baseline: true },
  { name: "knn k=20", kind: "knn", settings: { k: 20 } },
  { name: "knn k=50", kind: "knn", settings: { k: 50 } },
  { name: "irt-knn", kind: "irt-knn", settings: {} },
  { name: "linear", kind: "linear", settings: {} },
  { name: "linear l2=1e-3", kind: "linear", settings: { l2: 1e-3 } },
  { name: "linear text only", kind: "linear", settings: { features: wordOnly } },
  { name: "ensemble knn+linear", kind: "ensemble", settings: {} },
];
