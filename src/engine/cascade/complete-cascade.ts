import type { ChatRequest } from "../../core/chat-request.js";
import type { ChatResult } from "../../core/chat-result.js";
import { ContentFilterError, toRightsizeError } from "../../core/errors.js";
import type { LanguageModel } from "../../core/language-model.js";
import type { GateVerdict } from "../quality-gates/quality-gate.js";
import type { RequestRun } from "../request-run.js";
import { runAttempts, type AttemptEnvironment } from "../run-attempts.js";
import { budgetExceeded, noteLatestAttempt, skippedNote, tierTurn, withinLatencyBudget } from "./cascade-budget.js";
import type { CascadeInfo } from "./cascade-info.js";
import { tierRequest, type CascadePlan } from "./cascade-plan.js";
import { gateServices } from "./gate-services.js";

export interface CascadeServed {
  result: ChatResult;
  model: LanguageModel;
  cascade: CascadeInfo;
}

interface Candidate extends CascadeServed {
  verdict: GateVerdict;
}

/**
 * A non-streamed cascade: each tier answers in turn, cheapest first; the gate checks the
 * answer; a pass is served, a fail escalates. A tier that fails outright escalates too. The
 * last tier (with the router's fallbacks behind it) is served as is. When the budget runs out
 * the best-scoring answer so far is served. Every call is an attempt of `run`.
 */
export async function completeCascade(
  run: RequestRun,
  plan: CascadePlan,
  env: AttemptEnvironment,
  models: ReadonlyMap<string, LanguageModel>,
): Promise<CascadeServed> {
  const services = gateServices(run, env, models);
  const budget = plan.router.settings.budget;
  const tiers = plan.tiers.length;
  let best: Candidate | undefined;
  let spentBeforeAnswer: string | undefined;
  let askedAfterSpent = false;
  for (let i = 0; i < tiers; i++) {
    const turn = tierTurn(run, budget, i, tiers, { hasAnswer: best !== undefined, askedAfterSpent });
    if (turn.action === "serve-best" && best) return serveBest(best, turn.why, "budget-exceeded");
    if (turn.action === "skip-to-last") {
      noteLatestAttempt(
        run,
        skippedNote(
          turn.why,
          plan.tiers.map((t) => t.id),
          i,
        ),
      );
      i = tiers - 1;
    }
    if (turn.action === "ask-final") {
      spentBeforeAnswer = turn.why;
      askedAfterSpent = true;
    }
    const last = i === tiers - 1;
    // A tier asked after the budget ran out is served as is, like the last one.
    const final = last || turn.action === "ask-final";
    const tier = plan.tiers[i] as LanguageModel;
    const request = tierRequest(run.request, plan, final);
    let success;
    try {
      const tierEnv = final ? env : withinLatencyBudget(env, run, budget);
      success = await runAttempts(last ? [tier, ...plan.fallbacks] : [tier], run.state, "cascade", tierEnv, (model, signal) =>
        model.generate(request, { signal }),
      );
    } catch (thrown) {
      const error = toRightsizeError(thrown);
      // The client left or the content was refused: say so. Any other error of a tier (even a
      // 400, e.g. a tier that rejects the logprobs the cascade asked for) escalates.
      if (run.state.signal.aborted || error instanceof ContentFilterError) throw error;
      if (last && best) return serveBest(best, `the last tier failed (${error.message})`, "best-so-far");
      if (last) throw error;
      const exceeded = budgetExceeded(run, budget);
      if (exceeded && best) return serveBest(best, exceeded, "budget-exceeded");
      continue;
    }
    success.controller.dispose();
    const result = stripLogprobs(success.value, run.request);
    const choice = success.value.choices[0];
    const text = choice?.message.content ?? "";
    run.settleAttempt(success.attempt, success.value.usage, text, success.startedAtMonotonic);
    if (last) {
      success.attempt.note = "cascade: last tier, served as is";
      return { result, model: success.model, cascade: { outcome: "last-tier", tier: i + 1, tiers } };
    }
    if (final) {
      success.attempt.note = `cascade: ${spentBeforeAnswer} before any tier answered; served as is`;
      return { result, model: success.model, cascade: { outcome: "budget-exceeded", tier: i + 1, tiers } };
    }
    const verdict = await plan.gate.evaluate(
      {
        request: run.request,
        tier,
        text,
        finishReason: choice?.finish_reason ?? null,
        refusal: choice?.message.refusal ?? null,
        hasToolCalls: Boolean(choice?.message.tool_calls?.length),
        logprobs: choice?.logprobs?.content ?? null,
      },
      services,
    );
    success.attempt.note = `gate ${verdict.pass ? "pass" : "fail"}: ${verdict.reason}`;
    const candidate: Candidate = { result, model: success.model, verdict, cascade: { outcome: "accepted", tier: i + 1, tiers } };
    if (verdict.pass) return candidate;
    if (!best || verdict.score > best.verdict.score) best = candidate;
    const exceeded = budgetExceeded(run, budget);
    if (exceeded) return serveBest(best, exceeded, "budget-exceeded");
  }
  throw new Error("unreachable: the last tier always serves or throws");

  function serveBest(candidate: Candidate, why: string, outcome: CascadeInfo["outcome"]): CascadeServed {
    const attempts = run.state.attempts;
    const note = `cascade: ${why}; serving the best answer so far (tier ${candidate.cascade.tier})`;
    const lastAttempt = attempts[attempts.length - 1];
    if (lastAttempt) lastAttempt.note = lastAttempt.note ? `${lastAttempt.note}; ${note}` : note;
    return { ...candidate, cascade: { ...candidate.cascade, outcome } };
  }
}

/** Logprobs the cascade asked for on its own account are not passed on to the client. */
function stripLogprobs(result: ChatResult, request: ChatRequest): ChatResult {
  if (request.logprobs === true) return result;
  if (!result.choices.some((c) => c.logprobs)) return result;
  return { ...result, choices: result.choices.map((c) => ({ ...c, logprobs: null })) };
}
