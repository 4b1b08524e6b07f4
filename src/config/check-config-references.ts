import type { RightsizeConfig } from "./config-schema.js";
import { checkShadowReferences } from "./check-shadow-references.js";
import { formatConfigPath } from "./format-config-path.js";

export interface ReferenceProblem {
  path: string;
  pathParts: (string | number)[];
  message: string;
}

/** Checks what a schema cannot: unique ids, adapters on chat models only, and router targets that name configured models. */
export function checkConfigReferences(config: RightsizeConfig): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const add = (pathParts: (string | number)[], message: string) => problems.push({ path: formatConfigPath(pathParts), pathParts, message });
  const modelIds = new Set<string>();
  config.models.forEach((model, i) => {
    if (modelIds.has(model.id)) add(["models", i, "id"], `duplicate model id "${model.id}"`);
    if (model.provider === "llama-cpp" && model.kind === "embedding" && model.lora.length > 0) {
      add(["models", i, "lora"], "LoRA adapters apply to chat models only (node-llama-cpp's embedding context takes none)");
    }
    modelIds.add(model.id);
  });
  const routerIds = new Set<string>();
  config.routers.forEach((router, i) => {
    if (routerIds.has(router.id)) add(["routers", i, "id"], `duplicate router id "${router.id}"`);
    if (modelIds.has(router.id)) add(["routers", i, "id"], `router id "${router.id}" is also a model id`);
    routerIds.add(router.id);
    for (const field of ["targets", "fallbacks"] as const) {
      router[field].forEach((target, j) => {
        if (!modelIds.has(target)) {
          add(["routers", i, field, j], `unknown model "${target}"; configured models: ${[...modelIds].join(", ")}`);
        }
      });
    }
  });
  checkShadowReferences(config, add);
  return problems;
}
