import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { NotFoundError } from "../core/errors.js";
import { toOpenAiErrorBody } from "../openai/error-body.js";
import type { Gateway } from "./build-gateway.js";
import { toHttpError } from "./http-errors.js";
import { registerChatCompletionsRoute } from "./routes/chat-completions-route.js";
import { registerEmbeddingsRoute } from "./routes/embeddings-route.js";
import { registerModelsRoute } from "./routes/models-route.js";
import { registerOperationsRoutes } from "./routes/operations-routes.js";
import { newRequestId } from "./request-id.js";

/** The HTTP app: routes, body limits, one error handler that speaks OpenAI's error shape. */
export function createApp(gateway: Gateway, logger: Logger): FastifyInstance {
  const { server } = gateway.config;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: server.bodyLimitBytes,
    requestTimeout: server.timeouts.clientRequestMs,
    // Node checks the request and header deadlines on this interval (30 s by default).
    http: {
      headersTimeout: server.timeouts.clientRequestMs,
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(server.timeouts.clientRequestMs / 4))),
    },
    keepAliveTimeout: 75_000,
    return503OnClosing: true,
    forceCloseConnections: "idle",
    genReqId: (request) => newRequestId(request.headers["x-request-id"]),
  });
  app.setErrorHandler((error, request, reply) => {
    const mapped = toHttpError(error, server.bodyLimitBytes);
    if (mapped.status >= 500) request.log.error({ err: mapped, requestId: request.id }, mapped.message);
    if (reply.raw.headersSent) return;
    reply.code(mapped.status === 499 ? 400 : mapped.status);
    reply.header("x-request-id", request.id);
    if (mapped.retryAfterMs !== undefined) {
      reply.header("retry-after", String(Math.max(1, Math.ceil(mapped.retryAfterMs / 1000))));
      reply.header("retry-after-ms", String(Math.ceil(mapped.retryAfterMs)));
    }
    reply.send(toOpenAiErrorBody(mapped));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new NotFoundError(`Unknown route ${request.method} ${request.url}.`, { code: "unknown_url" });
    reply.code(404).send(toOpenAiErrorBody(error));
  });
  registerChatCompletionsRoute(app, gateway);
  registerEmbeddingsRoute(app, gateway);
  registerModelsRoute(app, gateway);
  registerOperationsRoutes(app, gateway);
  return app;
}
