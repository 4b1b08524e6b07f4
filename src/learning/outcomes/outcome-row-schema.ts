import { z } from "zod";

/**
 * The zod schema of one line of the outcome JSONL (../shared/data). Unknown fields are kept:
 * on a row they go to `OutcomeRow.extras`, on a model outcome they stay on the object (`pred`,
 * `answer`, `score_turn2`, …). `output_chars` is optional on the wire because the RouteLLM
 * MMLU rows do not record it; the loader fills 0 and counts those outcomes in its report.
 */
export const modelOutcomeSchema = z.looseObject({
  score: z.number().min(0).max(1),
  output_chars: z.number().int().nonnegative().optional(),
});

export const outcomeLineSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  prompt: z.string(),
  category: z.string().min(1),
  source: z.string().optional(),
  outcomes: z.record(z.string().min(1), modelOutcomeSchema),
});

export type OutcomeLine = z.output<typeof outcomeLineSchema>;

/** `outcomes["gpt-4o"].score` style path of a zod issue. */
export function issueFieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else {
      const name = String(part);
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? (out ? `.${name}` : name) : `[${JSON.stringify(name)}]`;
    }
  }
  return out || "(line)";
}
