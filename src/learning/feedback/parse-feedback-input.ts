import { randomUUID } from "node:crypto";
import { FEEDBACK_SOURCES, type FeedbackRecord, type FeedbackSource, type FeedbackValue } from "../../storage/feedback-record.js";

/** Limits of one feedback record. */
export const FEEDBACK_LIMITS = { id: 200, metric: 100, label: 200, comment: 10_000, demonstration: 200_000 } as const;

/** A validated feedback submission (`POST /v1/feedback` body, one line of an import). */
export type FeedbackInput = Omit<FeedbackRecord, "id" | "callerId" | "time">;

/** Why an input is refused: the field (`param`) and what is wrong with it. */
export interface FeedbackInputProblem {
  field: string;
  message: string;
}

export type FeedbackInputResult = { ok: true; input: FeedbackInput } | { ok: false; problem: FeedbackInputProblem };

const FIELDS = new Set(["request_id", "episode_id", "metric", "value", "comment", "demonstration", "source"]);
const METRIC = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

/**
 * Checks a feedback body: exactly one of `request_id` / `episode_id`; a `metric` name; a `value`
 * that is a boolean, a number in [0, 1] or a label; optional `comment`, `demonstration` (a
 * corrected answer) and `source` (user, reviewer, rule, judge; default `defaultSource`). Unknown
 * fields are refused, so a misspelt field is not silently lost.
 */
export function parseFeedbackInput(body: unknown, defaultSource: FeedbackSource = "user"): FeedbackInputResult {
  const fail = (field: string, message: string): FeedbackInputResult => ({ ok: false, problem: { field, message } });
  if (typeof body !== "object" || body === null || Array.isArray(body)) return fail("body", "must be a JSON object");
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) if (!FIELDS.has(key)) return fail(key, "is not a feedback field");
  const present = (key: string) => fields[key] !== undefined && fields[key] !== null && fields[key] !== "";
  if (present("request_id") === present("episode_id")) {
    return fail("request_id", "give exactly one of request_id (one request) or episode_id (a whole episode)");
  }
  const target = present("request_id") ? "request_id" : "episode_id";
  const id = fields[target];
  if (typeof id !== "string" || id.length > FEEDBACK_LIMITS.id)
    return fail(target, `must be a string of at most ${FEEDBACK_LIMITS.id} characters`);
  const metric = fields.metric;
  if (typeof metric !== "string" || metric.length === 0) return fail("metric", "is required: a name such as helpful or correct");
  if (metric.length > FEEDBACK_LIMITS.metric || !METRIC.test(metric)) {
    return fail("metric", `must be letters, digits and _ . : - (at most ${FEEDBACK_LIMITS.metric} characters)`);
  }
  const value = fields.value;
  if (value === undefined || value === null) return fail("value", "is required: true/false, a number in [0, 1], or a label");
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0 || value > 1) return fail("value", `a number must be in [0, 1], got ${value}`);
  } else if (typeof value === "string") {
    if (value.trim() === "" || value.length > FEEDBACK_LIMITS.label)
      return fail("value", `a label must be 1–${FEEDBACK_LIMITS.label} characters`);
  } else if (typeof value !== "boolean") return fail("value", "must be true/false, a number in [0, 1], or a label");
  const text = (key: "comment" | "demonstration"): string | null | FeedbackInputResult => {
    const v = fields[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== "string") return fail(key, "must be a string");
    if (v.length > FEEDBACK_LIMITS[key]) return fail(key, `must be at most ${FEEDBACK_LIMITS[key]} characters`);
    return v;
  };
  const comment = text("comment");
  if (typeof comment === "object" && comment !== null) return comment;
  const demonstration = text("demonstration");
  if (typeof demonstration === "object" && demonstration !== null) return demonstration;
  if (demonstration !== null && demonstration.trim() === "") return fail("demonstration", "must not be empty");
  const source = fields.source ?? defaultSource;
  if (typeof source !== "string" || !(FEEDBACK_SOURCES as readonly string[]).includes(source)) {
    return fail("source", `must be one of ${FEEDBACK_SOURCES.join(", ")}`);
  }
  return {
    ok: true,
    input: {
      requestId: target === "request_id" ? id : null,
      episodeId: target === "episode_id" ? id : null,
      metric,
      value: value as FeedbackValue,
      comment,
      demonstration,
      source: source as FeedbackSource,
    },
  };
}

/** The stored record of an accepted input. */
export function feedbackRecordOf(input: FeedbackInput, callerId: string | null, time: number): FeedbackRecord {
  return { id: `fb_${randomUUID().replaceAll("-", "")}`, ...input, callerId, time };
}
