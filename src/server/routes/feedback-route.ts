import type { FastifyInstance, FastifyRequest } from "fastify";
import { InvalidRequestError, NotFoundError, RightsizeError } from "../../core/errors.js";
import { findFeedbackTarget } from "../../learning/feedback/find-feedback-target.js";
import { feedbackRecordOf, parseFeedbackInput } from "../../learning/feedback/parse-feedback-input.js";
import type { Gateway } from "../build-gateway.js";

/** How long a feedback waits for its request's log row, which may still be on its way to the store. */
export const FEEDBACK_TARGET_WAIT_MS = 1_000;

/**
 * POST /v1/feedback: a judgment of a logged request or episode (same client keys as chat; a key
 * reaches only its own requests). 400 with `param` for a bad body, 404 for an id the caller does
 * not own or that does not exist, 503 when the log could not store it; nothing is half-written.
 */
export function registerFeedbackRoute(app: FastifyInstance, gateway: Gateway): void {
  const store = gateway.outcomes.store;
  app.post("/v1/feedback", async (request: FastifyRequest) => {
    if (!gateway.config.storage.enabled) {
      throw new InvalidRequestError("Feedback needs the request log, which is disabled (storage.enabled: false).", {
        code: "feedback_unavailable",
      });
    }
    const parsed = parseFeedbackInput(request.body);
    if (!parsed.ok) {
      const { field, message } = parsed.problem;
      throw new InvalidRequestError(`${field}: ${message}.`, { param: field === "body" ? null : field, code: "invalid_feedback" });
    }
    const { input } = parsed;
    const callerId = request.notes.callerId;
    const found = await findFeedbackTarget(store, input, { callerId, waitMs: FEEDBACK_TARGET_WAIT_MS, flush: () => store.flush() });
    if (!found) {
      const [param, what] =
        input.requestId !== null ? ["request_id", `request ${input.requestId}`] : ["episode_id", `episode ${input.episodeId}`];
      throw new NotFoundError(`No ${what} in the request log${callerId !== undefined ? " for this API key" : ""}.`, {
        param,
        code: input.requestId !== null ? "request_not_found" : "episode_not_found",
      });
    }
    const record = feedbackRecordOf(input, callerId ?? null, Date.now());
    try {
      await store.appendFeedback([record]);
    } catch (error) {
      throw new RightsizeError(`The feedback was not stored: ${error instanceof Error ? error.message : String(error)}`, {
        status: 503,
        type: "server_error",
        code: "feedback_not_stored",
        retryable: true,
        cause: error,
      });
    }
    if (record.requestId !== null && (typeof record.value === "number" || typeof record.value === "boolean")) {
      const score = typeof record.value === "boolean" ? (record.value ? 1 : 0) : record.value;
      // Off the answer's path: the drift watch and the canaries learn the score of the model that answered.
      void store.findRequest(record.requestId).then(
        (logged) => logged?.model && gateway.observeScore(logged.router, logged.model, "feedback", score),
        () => undefined,
      );
    }
    return {
      object: "feedback",
      id: record.id,
      request_id: record.requestId,
      episode_id: record.episodeId,
      metric: record.metric,
      value: record.value,
      source: record.source,
      created: Math.floor(record.time / 1000),
    };
  });
}
