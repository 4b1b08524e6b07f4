import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ClientAbortError, toRightsizeError } from "../../core/errors.js";
import type { ChatStream } from "../../engine/chat-engine.js";
import type { EngineCallContext } from "../../engine/engine-dependencies.js";
import { wireBodyOf } from "../../core/wire-body.js";
import { parseChatRequest } from "../../openai/parse-chat-request.js";
import { admitToLimits } from "../admit-to-limits.js";
import type { Gateway } from "../build-gateway.js";
import { parseRequestIdentity } from "../request-identity.js";
import { estimateCall } from "../estimate-call.js";
import { routingHeaders } from "../routing-headers.js";
import { writeChatStream } from "../write-chat-stream.js";

/** POST /v1/chat/completions: JSON and SSE, wire-compatible with OpenAI. */
export function registerChatCompletionsRoute(app: FastifyInstance, gateway: Gateway): void {
  app.post("/v1/chat/completions", async (request: FastifyRequest, reply: FastifyReply) => {
    const chatRequest = parseChatRequest(request.body);
    const identity = parseRequestIdentity(request.headers, request.body);
    await admitToLimits(gateway, request, reply, chatRequest.model, () => estimateCall(gateway.config, gateway.prices, chatRequest));
    const version = gateway.routerVersions.versionOf(chatRequest.model);
    if (version) reply.raw.setHeader("x-rightsize-router-version", version);
    gateway.reloader.ensureVersion(chatRequest.model, version);
    const controller = new AbortController();
    // In flight until the answer has been written (or the client has gone): a shutdown waits for it.
    const untrack = gateway.inFlight.track(controller);
    reply.raw.once("close", () => {
      if (!reply.raw.writableFinished) controller.abort(new ClientAbortError());
      untrack();
    });
    const context: EngineCallContext = {
      requestId: request.id,
      headers: request.headers,
      callerId: request.notes.callerId,
      ...identity,
      signal: controller.signal,
      controller,
    };
    // From here the engine writes the request's log row.
    request.notes.engineOwned = true;
    try {
      if (chatRequest.stream) {
        const stream = await gateway.engine.stream(chatRequest, context);
        reply.hijack();
        await relayStream(gateway, reply, stream, controller, chatRequest.stream_options?.include_usage === true);
        return reply;
      }
      const done = await gateway.engine.complete(chatRequest, context);
      reply.headers(routingHeaders(request.id, done));
      // An answer the upstream sent and nothing changed leaves as the bytes it came as.
      const wire = wireBodyOf(done.result);
      if (wire === undefined) return done.result;
      reply.type("application/json; charset=utf-8");
      return reply.send(wire);
    } catch (error) {
      if (controller.signal.reason instanceof ClientAbortError) reply.raw.destroy();
      throw toRightsizeError(error);
    }
  });
}

/** How long the end of a written stream may wait for a client that does not read it. */
const UNREAD_TAIL_MS = 30_000;

/** Writes the stream; if the writer itself fails, the stream is still run to its end so the request is logged and its upstream released. */
async function relayStream(
  gateway: Gateway,
  reply: FastifyReply,
  stream: ChatStream,
  controller: AbortController,
  includeUsage: boolean,
): Promise<void> {
  const requestId = reply.request.id;
  try {
    const framed = await writeChatStream(reply.raw, stream, { requestId, includeUsage, signal: controller.signal });
    if (framed) gateway.outcomes.settle(requestId, framed);
    // A client that stopped reading holds the socket with the answer's tail in its buffers: cut it.
    if (!reply.raw.writableFinished) setTimeout(() => reply.raw.destroy(), UNREAD_TAIL_MS).unref();
  } catch (thrown) {
    const error = toRightsizeError(thrown);
    reply.log.error({ err: error, requestId }, `could not write the stream: ${error.message}`);
    controller.abort(error);
    try {
      for await (const _part of stream.parts) {
        // discarded: the client cannot be written to
      }
    } catch (ended) {
      gateway.outcomes.settle(requestId, toRightsizeError(ended));
    }
    reply.raw.destroy();
  }
}
