import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from "fastify";
import type { Logger } from "pino";
import { NotFoundError, OverloadedError, RightsizeError } from "../core/errors.js";
import { toOpenAiErrorBody } from "../openai/error-body.js";
import { bodyReadTimeout } from "./body-read-timeout.js";
import type { Gateway } from "./build-gateway.js";
import type { ClientIdentity } from "./client-identity.js";
import { createClientErrorHandler } from "./client-error-handler.js";
import { errorHeaders } from "./error-headers.js";
import { toHttpError } from "./http-errors.js";
import { rejectionRecord } from "./rejection-record.js";
import type { RequestNotes } from "./request-notes.js";
import { newRequestId } from "./request-id.js";
import { registerAdminRoutes } from "./routes/admin-routes.js";
import { registerChatCompletionsRoute } from "./routes/chat-completions-route.js";
import { registerEmbeddingsRoute } from "./routes/embeddings-route.js";
import { registerFeedbackRoute } from "./routes/feedback-route.js";
import { registerModelsRoute } from "./routes/models-route.js";
import { registerOperationsRoutes } from "./routes/operations-routes.js";

/**
 * The HTTP app: routes, limits and timeouts, and one error path that speaks OpenAI's error
 * shape for every error from any layer (Node's parser, Fastify, our handlers), with an
 * `x-request-id`, one request-log row and one metric count per request.
 */
export function createApp(gateway: Gateway, logger: Logger): FastifyInstance {
  const { server } = gateway.config;
  const { timeouts } = server;
  const headersMs = Math.min(timeouts.headersMs, timeouts.clientRequestMs);
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: server.bodyLimitBytes,
    requestTimeout: timeouts.clientRequestMs,
    // Node checks the header and request deadlines on this interval (30 s by default).
    http: {
      headersTimeout: headersMs,
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(headersMs / 4))),
    },
    keepAliveTimeout: 75_000,
    // While draining, requests get our OpenAI-shaped 503 (see the onRequest hook), not Fastify's.
    return503OnClosing: false,
    forceCloseConnections: "idle",
    genReqId: (request) => newRequestId(request.headers["x-request-id"]),
    clientErrorHandler: createClientErrorHandler(server, gateway.outcomes),
    frameworkErrors: (error, request, reply) => {
      sendError(request, reply, new RightsizeError(error.message, { status: 400, type: "invalid_request_error", code: "invalid_url" }));
      // Fastify runs no hooks for requests it could not route.
      logRejection(request, reply);
    },
  });
  // Only JSON bodies are accepted: text/plain (even holding JSON) gets 415 like any other type.
  app.removeContentTypeParser("text/plain");
  app.decorateRequest("notes", null as unknown as RequestNotes);

  // Callback-style hooks: no promise per request on the hot path.
  app.addHook("onRequest", (request, reply, done) => {
    const notes = notesOf(request);
    if (gateway.inFlight.draining) {
      reply.header("connection", "close");
      done(
        new OverloadedError("The gateway is shutting down; send the request again (another instance will take it).", {
          code: "shutting_down",
        }),
      );
      return;
    }
    if (request.url.startsWith("/v1/")) {
      let identity: ReturnType<typeof gateway.keys.identify>;
      try {
        identity = gateway.keys.identify(request.headers.authorization);
      } catch (error) {
        done(error as Error);
        return;
      }
      if (identity instanceof Promise) {
        identity.then(
          (found) => {
            identify(notes, found);
            done();
          },
          (error: Error) => done(error),
        );
        return;
      }
      identify(notes, identity);
    }
    done();
  });
  app.addHook("preParsing", bodyReadTimeout(timeouts.bodyIdleMs));
  const logRejection = (request: FastifyRequest, reply: FastifyReply) => {
    const notes = notesOf(request);
    if (notes.engineOwned || notes.logged || reply.statusCode < 400) return;
    notes.logged = true;
    gateway.outcomes.reject(
      rejectionRecord({
        id: request.id,
        time: notes.startedAt,
        latencyMs: performance.now() - notes.startedAtMonotonic,
        status: reply.statusCode,
        error: notes.error,
        callerId: notes.callerId,
        body: request.body,
        keepBody: notes.authenticated && gateway.config.storage.logContent,
      }),
    );
  };
  app.addHook("onResponse", (request, reply, done) => {
    logRejection(request, reply);
    done();
  });

  const sendError = (request: FastifyRequest, reply: FastifyReply, error: RightsizeError) => {
    notesOf(request).error = error;
    const record = gateway.outcomes.settle(request.id, error);
    if (reply.raw.headersSent) return;
    reply.code(error.status === 499 ? 400 : error.status);
    reply.headers(errorHeaders(request.id, record));
    if (error.status === 408) reply.header("connection", "close");
    if (error.retryAfterMs !== undefined) {
      reply.header("retry-after", String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
      reply.header("retry-after-ms", String(Math.ceil(error.retryAfterMs)));
    }
    reply.send(toOpenAiErrorBody(error));
  };
  app.setErrorHandler((error, request, reply) => {
    const mapped = withHint(toHttpError(error, server.bodyLimitBytes), gateway.errorHints);
    if (mapped.status >= 500) request.log.error({ err: mapped, requestId: request.id }, mapped.message);
    sendError(request, reply, mapped);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? request.url;
    const allowed = allowedMethods(app, path);
    if (allowed.length > 0) {
      reply.header("allow", allowed.join(", "));
      const error = new RightsizeError(`${request.method} is not allowed on ${path}; use ${allowed.join(" or ")}.`, {
        status: 405,
        type: "invalid_request_error",
        code: "method_not_allowed",
      });
      sendError(request, reply, error);
      return;
    }
    sendError(request, reply, new NotFoundError(`Unknown route ${request.method} ${path}.`, { code: "unknown_url" }));
  });
  registerChatCompletionsRoute(app, gateway);
  registerEmbeddingsRoute(app, gateway);
  registerFeedbackRoute(app, gateway);
  registerModelsRoute(app, gateway);
  registerOperationsRoutes(app, gateway);
  registerAdminRoutes(app, gateway);
  return app;
}

/** The error with the configured hint for its code appended to its message. */
function withHint(error: RightsizeError, hints: Readonly<Record<string, string>>): RightsizeError {
  const hint = error.code ? hints[error.code] : undefined;
  if (!hint || error.message.includes(hint)) return error;
  return new RightsizeError(`${error.message} ${hint}`, {
    status: error.status,
    type: error.type,
    code: error.code,
    param: error.param,
    retryable: error.isRetryable,
    retryAfterMs: error.retryAfterMs,
    upstreamStatus: error.upstreamStatus,
    cause: error,
  });
}

/** The methods a path has routes for (for a 405 instead of a 404). */
function allowedMethods(app: FastifyInstance, path: string): string[] {
  return (["GET", "POST"] as const).filter(
    (method) => app.hasRoute({ method, url: path }) || (method === "GET" && path.startsWith("/v1/models/")),
  );
}

function identify(notes: RequestNotes, identity: ClientIdentity | undefined): void {
  notes.authenticated = true;
  if (identity) {
    notes.callerId = identity.id;
    notes.identity = identity;
  }
}

/** The request's notes, made on first use (a framework error can come before any hook). */
function notesOf(request: FastifyRequest): RequestNotes {
  request.notes ??= { startedAt: Date.now(), startedAtMonotonic: performance.now(), authenticated: false, engineOwned: false };
  return request.notes;
}
