import type { RouterFactory } from "../router-registry.js";

// PLACEHOLDER: being implemented (issue 2, routing seam).
export const createRulesRouter: RouterFactory = () => {
  throw new Error("rules router not implemented yet");
};
