import type { ChatRequest } from "../../../core/chat-request.js";
import { NotFoundError } from "../../../core/errors.js";
import type { LanguageModel } from "../../../core/language-model.js";
import type { AttemptRecord } from "../../../storage/request-log-store.js";
import type { GateServices } from "./gates/quality-gate.js";
import type { RequestRun } from "../../request-run.js";
import { runAttempts, type AttemptEnvironment } from "../../run-attempts.js";

/** Gate calls (judge, samples) as accounted attempts of the request, with retries and breakers. */
export function gateServices(run: RequestRun, env: AttemptEnvironment, models: ReadonlyMap<string, LanguageModel>): GateServices {
  return {
    async generate(target, request: ChatRequest, step: AttemptRecord["step"]) {
      const model = typeof target === "string" ? models.get(target) : target;
      if (!model) throw new NotFoundError(`gate model "${String(target)}" is not configured`);
      const success = await runAttempts([model], run, step, env, (m, signal) => m.generate({ ...request, model: m.id }, { signal }));
      success.controller.dispose();
      const choice = success.value.choices[0];
      const text = choice?.message.content ?? "";
      success.attempt.succeed({ usage: success.value.usage, text });
      return { text };
    },
  };
}
