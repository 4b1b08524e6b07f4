import type { FastifyInstance } from "fastify";
import { NotFoundError } from "../../core/errors.js";
import type { Gateway } from "../build-gateway.js";

/** GET /v1/models: routers (e.g. rightsize/auto) and concrete models, in OpenAI's list shape. */
export function registerModelsRoute(app: FastifyInstance, gateway: Gateway): void {
  const created = Math.floor(Date.now() / 1000);
  const data = [
    ...[...gateway.routers.values()].map((router) => ({
      id: router.id,
      object: "model" as const,
      created,
      owned_by: "rightsize",
      rightsize: { kind: "router", router: router.kind, targets: router.targets },
    })),
    ...gateway.config.models.map((model) => ({
      id: model.id,
      object: "model" as const,
      created,
      owned_by: model.provider,
      rightsize: { kind: "model", tier: model.tier, context_window: model.contextWindow, price: model.price },
    })),
  ];
  const body = { object: "list" as const, data };
  app.get("/v1/models", async () => {
    return body;
  });
  app.get<{ Params: { id: string } }>("/v1/models/*", async (request) => {
    const id = (request.params as Record<string, string>)["*"] ?? "";
    const found = data.find((m) => m.id === id);
    if (!found) {
      const shown = id.length > 64 ? `${id.slice(0, 64)}…` : id;
      throw new NotFoundError(`The model "${shown}" does not exist.`, { param: "model" });
    }
    return found;
  });
}
