import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { ClientAbortError, InvalidRequestError } from "../../core/errors.js";
import type { EmbeddingRequest } from "../../core/language-model.js";
import type { EngineCallContext } from "../../engine/engine-dependencies.js";
import { estimateTokens } from "../../pricing/estimate-tokens.js";
import { admitToLimits } from "../admit-to-limits.js";
import type { Gateway } from "../build-gateway.js";
import type { CallEstimate } from "../estimate-call.js";
import { routingHeaders } from "../routing-headers.js";

const embeddingRequestSchema = z.looseObject({
  model: z.string().min(1, "you must provide a model parameter"),
  input: z.union([z.string(), z.array(z.string()).min(1, "input must not be empty")]),
  dimensions: z.number().int().positive().optional(),
  encoding_format: z.enum(["float", "base64"]).optional(),
});

/** POST /v1/embeddings: local GGUF embedding models and upstreams that offer embeddings. */
export function registerEmbeddingsRoute(app: FastifyInstance, gateway: Gateway): void {
  app.post("/v1/embeddings", async (request, reply) => {
    const parsed = embeddingRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidRequestError(issue?.message ?? "invalid request", { param: issue?.path.join(".") ?? null });
    }
    const body = parsed.data as EmbeddingRequest;
    await admitToLimits(gateway, request, reply, body.model, () => estimateEmbedding(gateway, body));
    const controller = new AbortController();
    const untrack = gateway.inFlight.track(controller);
    reply.raw.once("close", () => {
      if (!reply.raw.writableFinished) controller.abort(new ClientAbortError());
      untrack();
    });
    const context: EngineCallContext = {
      requestId: request.id,
      headers: request.headers,
      callerId: request.notes.callerId,
      signal: controller.signal,
      controller,
    };
    // From here the engine writes the request's log row (retries, fallbacks, metrics as for chat).
    request.notes.engineOwned = true;
    const done = await gateway.engine.embed(body, context);
    const result = done.result;
    reply.headers(routingHeaders(request.id, done));
    return {
      object: "list",
      // encoding_format base64 (the openai client's default): little-endian float32, base64.
      data: result.embeddings.map((embedding, index) => ({
        object: "embedding",
        index,
        embedding: body.encoding_format === "base64" ? Buffer.from(new Float32Array(embedding).buffer).toString("base64") : embedding,
      })),
      model: result.model,
      usage: result.usage,
    };
  });
}

/** An embedding request's tokens (its inputs, estimated) and their cost on the dearest model it may reach. */
function estimateEmbedding(gateway: Gateway, body: EmbeddingRequest): CallEstimate {
  const inputs = typeof body.input === "string" ? [body.input] : body.input;
  const tokens = inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
  const router = gateway.config.routers.find((r) => r.id === body.model);
  const reachable = router ? [...router.targets, ...router.fallbacks] : [body.model];
  const costUsd = Math.max(0, ...reachable.map((id) => gateway.prices.costOf(id, { promptTokens: tokens, completionTokens: 0 })));
  return { tokens, costUsd };
}
