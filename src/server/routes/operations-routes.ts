import type { FastifyInstance } from "fastify";
import type { Gateway } from "../build-gateway.js";

/** GET /healthz (with the router versions this gateway serves and since when) and GET /metrics (Prometheus text format). */
export function registerOperationsRoutes(app: FastifyInstance, gateway: Gateway): void {
  const started = Date.now();
  app.get("/healthz", async () => ({
    status: "ok",
    uptime_s: Math.round((Date.now() - started) / 1000),
    models: gateway.models.size,
    routers: gateway.routers.size,
    router_versions: gateway.routerVersions.describe(),
  }));
  app.get("/metrics", async (_request, reply) => {
    reply.header("content-type", gateway.metrics.registry.contentType);
    return gateway.metrics.render();
  });
}
