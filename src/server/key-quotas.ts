import type { VirtualKeysConfig } from "../config/config-schema.js";
import { OverloadedError, RightsizeError } from "../core/errors.js";
import type { QuotaDecision, QuotaLedger, QuotaRequest, QuotaReservation } from "../state/quota-ledger.js";
import type { RequestLogRecord } from "../storage/request-log-store.js";
import type { ClientIdentity } from "./client-identity.js";
import type { CallEstimate } from "./estimate-call.js";
import { formatResetDuration } from "./format-reset-duration.js";

const MINUTE_MS = 60_000;

/** A request a limit refused: the error to answer with, and the decision (for its headers). */
export class LimitRefusal extends Error {
  constructor(
    readonly error: RightsizeError,
    readonly decision: QuotaDecision,
    /** requests, tokens, budget, or unavailable (failing closed). */
    readonly limit: string,
  ) {
    super(error.message);
    this.name = "LimitRefusal";
  }
}

/** What a decision tells the client, as OpenAI's x-ratelimit-* headers (plus the budget's). */
export function rateLimitHeaders(decision: QuotaDecision): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const reading of decision.rateLimits) {
    headers[`x-ratelimit-limit-${reading.name}`] = String(reading.limit);
    headers[`x-ratelimit-remaining-${reading.name}`] = String(reading.remaining);
    headers[`x-ratelimit-reset-${reading.name}`] = formatResetDuration(reading.resetMs);
  }
  for (const budget of decision.budgets) {
    headers["x-ratelimit-limit-budget-usd"] = String(budget.limitUsd);
    headers["x-ratelimit-remaining-budget-usd"] = budget.remainingUsd.toFixed(6);
    headers["x-ratelimit-reset-budget"] = new Date(budget.resetsAt).toISOString();
  }
  return headers;
}

/**
 * Rate limits and budgets of client keys, around the engine call: `admit` reserves the request's
 * estimated tokens and cost in the shared quota ledger (Redis when configured: one script for
 * every limit of the key, so N gateways count together) and refuses with 429 when a limit or the
 * budget is reached; `settle` replaces the estimate with the real tokens and cost once the
 * request's log record is final.
 */
export class KeyQuotas {
  private readonly pending = new Map<string, QuotaReservation>();
  private readonly failClosed: ReadonlySet<string>;

  constructor(
    private readonly ledger: QuotaLedger,
    settings: VirtualKeysConfig,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    this.failClosed = new Set(settings.failClosed);
  }

  /** Reservations waiting for their request's end. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Reserves the request against the key's limits; throws the 429 (or, failing closed, 503) that refuses it. */
  async admit(requestId: string, identity: ClientIdentity, estimate: CallEstimate): Promise<QuotaDecision> {
    const decision = await this.ledger.reserve(this.quotaRequest(identity, estimate));
    if (!decision.allowed) {
      throw new LimitRefusal(
        refusal(identity, decision, estimate),
        decision,
        decision.rejection?.kind === "budget"
          ? "budget"
          : decision.rejection?.kind === "unavailable"
            ? "unavailable"
            : (decision.rejection?.name ?? "requests"),
      );
    }
    if (decision.reservation) this.pending.set(requestId, decision.reservation);
    return decision;
  }

  /** The request's record is final: its real tokens and cost replace the estimate. */
  settle(record: RequestLogRecord): void {
    const reservation = this.pending.get(record.id);
    if (!reservation) return;
    this.pending.delete(record.id);
    const actual = { costs: { tokens: record.promptTokens + record.completionTokens }, costUsd: record.costUsd };
    // After the answer is on its way: the settlement is not on the request's path.
    setImmediate(() => {
      this.ledger
        .settle(reservation, actual)
        .catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))));
    });
  }

  private quotaRequest(identity: ClientIdentity, estimate: CallEstimate): QuotaRequest {
    const { rpm, tpm, budget } = identity.limits;
    const request: QuotaRequest = { subject: identity.id, rateLimits: [], budgets: [] };
    if (rpm !== null) {
      request.rateLimits?.push({ name: "requests", limit: rpm, windowMs: MINUTE_MS, cost: 1, failClosed: this.failClosed.has("requests") });
    }
    if (tpm !== null) {
      request.rateLimits?.push({
        name: "tokens",
        limit: tpm,
        windowMs: MINUTE_MS,
        cost: estimate.tokens,
        failClosed: this.failClosed.has("tokens"),
      });
    }
    if (budget !== null) {
      request.budgets?.push({
        name: "budget",
        limitUsd: budget.usd,
        period: budget.period,
        estimateUsd: estimate.costUsd,
        failClosed: this.failClosed.has("budget"),
      });
    }
    return request;
  }
}

function refusal(identity: ClientIdentity, decision: QuotaDecision, estimate: CallEstimate): RightsizeError {
  const rejection = decision.rejection ?? { kind: "rate-limit" as const, name: "requests", retryAfterMs: 1_000 };
  const retryAfterMs = Number.isFinite(rejection.retryAfterMs) ? Math.max(1, rejection.retryAfterMs) : undefined;
  const wait = retryAfterMs === undefined ? "" : ` Please try again in ${formatResetDuration(retryAfterMs)}.`;
  if (rejection.kind === "unavailable") {
    return new OverloadedError(`The ${rejection.name} limit of this key cannot be checked right now (shared state unreachable).${wait}`, {
      code: "limits_unavailable",
      retryAfterMs: retryAfterMs ?? 1_000,
    });
  }
  if (rejection.kind === "budget") {
    const reading = decision.budgets[0];
    const budget = identity.limits.budget;
    return new RightsizeError(
      `Budget exceeded for key ${identity.id}: $${budget?.usd ?? reading?.limitUsd} per ${budget?.period ?? "period"}, $${(reading?.usedUsd ?? 0).toFixed(6)} spent or reserved. It resets at ${reading ? new Date(reading.resetsAt).toISOString() : "the next period"}.`,
      { status: 429, type: "insufficient_quota", code: "budget_exceeded", retryAfterMs, retryable: false },
    );
  }
  const isTokens = rejection.name === "tokens";
  const limit = isTokens ? identity.limits.tpm : identity.limits.rpm;
  const reading = decision.rateLimits.find((r) => r.name === rejection.name);
  const used = reading && limit !== null ? Math.max(0, limit - reading.remaining) : undefined;
  const requested = isTokens ? estimate.tokens : 1;
  const what = isTokens ? "tokens per min (TPM)" : "requests per min (RPM)";
  const message =
    retryAfterMs === undefined
      ? `Request too large for key ${identity.id} on ${what}: Limit ${limit}, Requested ${requested}. Lower max_tokens or the prompt.`
      : `Rate limit reached for key ${identity.id} on ${what}: Limit ${limit}${used === undefined ? "" : `, Used ${used}`}, Requested ${requested}.${wait}`;
  return new RightsizeError(message, {
    status: 429,
    type: isTokens ? "tokens" : "requests",
    code: "rate_limit_exceeded",
    retryAfterMs,
    retryable: retryAfterMs !== undefined,
  });
}
