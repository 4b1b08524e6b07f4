import type { RouterFactory } from "./router-factory.js";

const loadLearnedRouter = async (): Promise<RouterFactory> => (await import("./learned/learned-router.js")).createLearnedRouter;

/**
 * Router kinds learned from outcome data, each loading an artifact written by `rightsize train`
 * (`settings.artifact`); the factory is imported lazily. `learned` loads an artifact of any of
 * these kinds (what `rightsize train --router auto` chose).
 */
export const learnedRouterKinds: Record<string, () => Promise<RouterFactory>> = {
  random: loadLearnedRouter,
  knn: loadLearnedRouter,
  linear: loadLearnedRouter,
  mlp: loadLearnedRouter,
  "matrix-factorization": loadLearnedRouter,
  ensemble: loadLearnedRouter,
  "irt-knn": loadLearnedRouter,
  learned: loadLearnedRouter,
};
