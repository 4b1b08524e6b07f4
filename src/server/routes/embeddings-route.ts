import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { InvalidRequestError, NotFoundError, ClientAbortError } from "../../core/errors.js";
import type { EmbeddingRequest } from "../../core/language-model.js";
import type { Gateway } from "../build-gateway.js";

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
    const model = gateway.models.get(body.model);
    if (!model) throw new NotFoundError(`The model "${body.model}" does not exist.`, { param: "model" });
    if (!model.embed) throw new InvalidRequestError(`The model "${body.model}" does not serve embeddings.`, { param: "model" });
    const controller = new AbortController();
    reply.raw.once("close", () => {
      if (!reply.raw.writableFinished) controller.abort(new ClientAbortError());
    });
    const result = await model.embed(body, { signal: controller.signal });
    reply.header("x-rightsize-model", model.id);
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
