import type { RouterFactory } from "./router-registry.js";

/**
 * Router kinds learned from outcome data (knn, linear, mlp, matrix-factorization, …), each
 * loaded lazily from its own module. Filled in by the learned-routing work (issue 3).
 */
export const learnedRouterKinds: Record<string, () => Promise<RouterFactory>> = {};
