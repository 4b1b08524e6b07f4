import type { FastifyInstance, FastifyRequest } from "fastify";
import { AuthenticationError, NotFoundError, PermissionDeniedError, RightsizeError } from "../../core/errors.js";
import type { Gateway } from "../build-gateway.js";
import { hashKeySecret } from "../../storage/keys/key-secret.js";

/**
 * The admin endpoints, authenticated by `server.admin.keys` (off when none is configured):
 * - GET /admin/routers: the reloadable routers and the artifact version each serves;
 * - GET /admin/status: those, the recent retrains, and every router's drift signals with a warning per signal out of its band;
 * - POST /admin/routers/:id/retrain[?force=true]: run the router's scheduled retrain now (force: however few new labels);
 * - POST /admin/routers/:id/reload: swap in the router's artifact file as it is now. In-flight
 *   requests finish on the old router; a broken artifact is refused (409) and the old one kept.
 */
export function registerAdminRoutes(app: FastifyInstance, gateway: Gateway): void {
  app.get("/admin/routers", async (request) => {
    authorizeAdmin(gateway, request);
    return {
      object: "list",
      data: gateway.reloader.list().map((router) => ({ ...router, loadedAt: router.loadedAt.toISOString() })),
    };
  });
  app.get("/admin/status", async (request) => {
    authorizeAdmin(gateway, request);
    const drift = gateway.drift.read();
    return {
      routers: gateway.reloader.list().map((router) => ({ ...router, loadedAt: router.loadedAt.toISOString() })),
      retrains: gateway.retrain?.recent() ?? [],
      canaries: gateway.canaries.map((canary) => canary.status()),
      drift,
      warnings: drift.flatMap((router) => router.warnings),
    };
  });
  app.post<{ Params: { id: string }; Querystring: { force?: string } }>("/admin/routers/:id/retrain", async (request) => {
    authorizeAdmin(gateway, request);
    const id = decodeURIComponent(request.params.id);
    if (!gateway.retrain?.has(id)) {
      throw new NotFoundError(`Router ${JSON.stringify(id.slice(0, 64))} has no retrain schedule (retrain.routers in the config).`, {
        code: "router_not_found",
      });
    }
    return gateway.retrain.runNow(id, "admin", { force: request.query.force === "true" });
  });
  app.post<{ Params: { id: string } }>("/admin/routers/:id/reload", async (request) => {
    authorizeAdmin(gateway, request);
    const id = decodeURIComponent(request.params.id);
    if (!gateway.reloader.has(id)) {
      throw new NotFoundError(
        gateway.routers.has(id)
          ? `Router ${id} reads no artifact; only learned routers can be reloaded.`
          : `No router ${JSON.stringify(id.slice(0, 64))} is configured.`,
        { code: "router_not_found" },
      );
    }
    const reload = await gateway.reloader.reload(id, "admin");
    if (reload.outcome === "refused") {
      throw new RightsizeError(`The artifact of ${id} was refused; version ${reload.version} keeps serving: ${reload.error}`, {
        status: 409,
        type: "invalid_request_error",
        code: "artifact_refused",
      });
    }
    return reload;
  });
}

function authorizeAdmin(gateway: Gateway, request: FastifyRequest): void {
  if (gateway.adminKeys.size === 0) {
    throw new PermissionDeniedError("The admin endpoints are off; configure server.admin.keys to use them.", {
      code: "admin_disabled",
    });
  }
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization?.trim() ?? "");
  if (!match?.[1]) {
    throw new AuthenticationError("Send an admin key in the Authorization header as 'Bearer KEY'.", { code: "missing_api_key" });
  }
  if (!gateway.adminKeys.has(hashKeySecret(match[1].trim()))) throw new AuthenticationError("Incorrect admin key provided.");
}
