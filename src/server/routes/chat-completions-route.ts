import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ClientAbortError, toRightsizeError } from "../../core/errors.js";
import type { EngineCallContext } from "../../engine/engine-dependencies.js";
import { parseChatRequest } from "../../openai/parse-chat-request.js";
import { authenticate } from "../authenticate.js";
import type { Gateway } from "../build-gateway.js";
import { routingHeaders } from "../routing-headers.js";
import { writeChatStream } from "../write-chat-stream.js";

/** POST /v1/chat/completions: JSON and SSE, wire-compatible with OpenAI. */
export function registerChatCompletionsRoute(app: FastifyInstance, gateway: Gateway): void {
  app.post("/v1/chat/completions", async (request: FastifyRequest, reply: FastifyReply) => {
    const callerId = authenticate(gateway.clientKeys, request.headers.authorization);
    const chatRequest = parseChatRequest(request.body);
    const controller = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) controller.abort(new ClientAbortError());
    };
    reply.raw.once("close", onClose);
    const context: EngineCallContext = {
      requestId: request.id,
      headers: request.headers,
      callerId,
      signal: controller.signal,
      controller,
    };
    if (chatRequest.stream) {
      const stream = await gateway.engine.stream(chatRequest, context);
      reply.hijack();
      await writeChatStream(reply.raw, stream, {
        requestId: request.id,
        includeUsage: chatRequest.stream_options?.include_usage === true,
        signal: controller.signal,
      });
      return reply;
    }
    try {
      const done = await gateway.engine.complete(chatRequest, context);
      reply.headers(routingHeaders(request.id, done));
      return done.result;
    } catch (error) {
      if (controller.signal.reason instanceof ClientAbortError) reply.raw.destroy();
      throw toRightsizeError(error);
    }
  });
}
