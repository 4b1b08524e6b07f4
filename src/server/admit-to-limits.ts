import type { FastifyReply, FastifyRequest } from "fastify";
import type { Gateway } from "./build-gateway.js";
import { checkKeyAccess } from "./check-key-access.js";
import type { CallEstimate } from "./estimate-call.js";
import { LimitRefusal, rateLimitHeaders } from "./key-quotas.js";

/**
 * The key's access and limits, before the engine runs (chat and embeddings alike): a router or
 * model the key may not use is a 403; a rate limit or budget reached is a 429 (with retry-after).
 * The `x-ratelimit-*` headers go on the answer, whether it is JSON, a stream or that 429.
 */
export async function admitToLimits(
  gateway: Gateway,
  request: FastifyRequest,
  reply: FastifyReply,
  requested: string,
  estimate: () => CallEstimate,
): Promise<void> {
  const identity = request.notes.identity;
  if (!identity) return;
  checkKeyAccess(gateway.config, identity, requested);
  if (!identity.limited) return;
  try {
    const decision = await gateway.quotas.admit(request.id, identity, estimate());
    for (const [name, value] of Object.entries(rateLimitHeaders(decision))) reply.raw.setHeader(name, value);
  } catch (error) {
    if (error instanceof LimitRefusal) {
      for (const [name, value] of Object.entries(rateLimitHeaders(error.decision))) reply.raw.setHeader(name, value);
      gateway.metrics.onLimitRejected(identity.id, error.limit);
      throw error.error;
    }
    throw error;
  }
}
