import type { RightsizeConfig } from "../config/config-schema.js";
import { PermissionDeniedError } from "../core/errors.js";
import type { ClientIdentity } from "./client-identity.js";

/**
 * Whether the key may ask for `requested` (a router id, or a model id named directly); throws an
 * OpenAI-shaped 403 when it may not. A name that is neither is left to the engine (404).
 */
export function checkKeyAccess(config: RightsizeConfig, identity: ClientIdentity, requested: string): void {
  const { routers, models } = identity.limits;
  const isRouter = config.routers.some((r) => r.id === requested);
  if (isRouter) {
    if (routers !== null && !routers.includes(requested)) {
      throw new PermissionDeniedError(`This key may not use the router "${requested}". It may use: ${describe(routers, "no router")}.`, {
        code: "router_not_allowed",
        param: "model",
      });
    }
    return;
  }
  if (models !== null && config.models.some((m) => m.id === requested) && !models.includes(requested)) {
    throw new PermissionDeniedError(
      `This key may not ask for the model "${requested}" directly. It may ask for: ${describe(models, "no model")}.`,
      {
        code: "model_not_allowed",
        param: "model",
      },
    );
  }
}

function describe(names: readonly string[], none: string): string {
  return names.length === 0 ? none : names.join(", ");
}
