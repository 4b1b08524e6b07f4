import type { FinishReason, TokenLogprob } from "../../../core/chat-result.js";
import { toRightsizeError, type RightsizeError } from "../../../core/errors.js";
import type { StreamPart } from "../../../core/stream-part.js";
import type { Usage } from "../../../core/usage.js";
import type { OpenedStream } from "../../open-stream-attempt.js";
import type { GateVerdict, QualityGate } from "./gates/quality-gate.js";

/** What holding a tier's stream produced. Nothing of it has reached the client. */
export interface HeldStream {
  /**
   * - `complete`: the whole answer is in `parts`;
   * - `early-pass` / `early-fail`: the gate decided on the first tokens (`verdict`); the rest
   *   of the stream is still in `opened.iterator`;
   * - `hold-timeout`: the hold window passed before the gate could decide;
   * - `broken`: the stream failed (`error`).
   */
  status: "complete" | "early-pass" | "early-fail" | "hold-timeout" | "broken";
  parts: StreamPart[];
  text: string;
  logprobs: TokenLogprob[];
  finishReason: FinishReason | null;
  refusal: string;
  hasToolCalls: boolean;
  usage: Usage | undefined;
  verdict?: GateVerdict;
  error?: RightsizeError;
}

const HOLD_TIMEOUT = Symbol("hold-timeout");

/**
 * Buffers a tier's stream: to its end, or until a gate that can decide early has seen enough
 * tokens (`earlyAt`), or until `holdMs` passes.
 */
export async function holdTierStream(
  opened: OpenedStream,
  gate: QualityGate,
  earlyAt: number | undefined,
  holdMs: number | undefined,
): Promise<HeldStream> {
  const held: HeldStream = {
    status: "complete",
    parts: [],
    text: "",
    logprobs: [],
    finishReason: null,
    refusal: "",
    hasToolCalls: false,
    usage: undefined,
  };
  let textParts = 0;
  let timer: NodeJS.Timeout | undefined;
  const timeout =
    holdMs === undefined
      ? undefined
      : new Promise<typeof HOLD_TIMEOUT>((resolve) => {
          timer = setTimeout(() => resolve(HOLD_TIMEOUT), holdMs);
        });
  const take = (part: StreamPart): boolean => {
    held.parts.push(part);
    if (part.type === "text-delta" && part.choice === 0) {
      held.text += part.text;
      textParts++;
      if (part.logprobs) held.logprobs.push(...part.logprobs);
    } else if (part.type === "refusal-delta" && part.choice === 0) held.refusal += part.text;
    else if (part.type === "tool-call-delta") held.hasToolCalls = true;
    else if (part.type === "finish" && part.choice === 0) held.finishReason = part.finishReason;
    else if (part.type === "usage") held.usage = part.usage;
    if (earlyAt === undefined || !gate.decideEarly) return false;
    const tokens = held.logprobs.length > 0 ? held.logprobs.length : textParts;
    if (tokens < earlyAt || held.finishReason !== null) return false;
    const verdict = gate.decideEarly(held.logprobs, held.text);
    if (!verdict) return false;
    held.verdict = verdict;
    held.status = verdict.pass ? "early-pass" : "early-fail";
    return true;
  };
  try {
    for (const part of opened.head) if (take(part)) return held;
    for (;;) {
      const pending = opened.iterator.next();
      const next = timeout ? await Promise.race([pending, timeout]) : await pending;
      if (next === HOLD_TIMEOUT) {
        pending.catch(() => undefined);
        held.status = "hold-timeout";
        return held;
      }
      if (next.done) return held;
      if (take(next.value)) return held;
    }
  } catch (error) {
    held.status = "broken";
    held.error = toRightsizeError(error);
    return held;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The parts as the client may see them: logprobs dropped unless the client asked for them. */
export function clientParts(parts: readonly StreamPart[], keepLogprobs: boolean): StreamPart[] {
  if (keepLogprobs) return [...parts];
  return parts.map((p) => (p.type === "text-delta" && p.logprobs ? { type: "text-delta", choice: p.choice, text: p.text } : p));
}

/** An iterator that drops logprobs from the parts of another (an early-released stream's rest). */
export function withoutLogprobs(iterator: AsyncIterator<StreamPart>): AsyncIterator<StreamPart> {
  return {
    async next() {
      const next = await iterator.next();
      if (next.done || next.value.type !== "text-delta" || !next.value.logprobs) return next;
      const { logprobs: _dropped, ...part } = next.value;
      void _dropped;
      return { done: false, value: part };
    },
    return: async () => (await iterator.return?.()) ?? { done: true, value: undefined },
  };
}
