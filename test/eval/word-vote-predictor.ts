import { messageText, type ChatRequest } from "../../src/core/chat-request.js";
import type { OutcomeRow } from "../../src/learning/outcomes/outcome-row.js";
import type { QualityPredictor } from "../../src/routing/learned/quality-predictor.js";
import type { TrainOptions } from "../../src/learning/training/train-options.js";

/**
 * A tiny deterministic predictor for replay tests: per model, the mean score of the training rows
 * that share the prompt's longest word, else the model's mean. It records what it saw.
 */
export function trainWordVote(log: { trainedOn: Set<string>[]; predicted: string[][] }) {
  return async (kind: string, rows: readonly OutcomeRow[], options: TrainOptions): Promise<QualityPredictor> => {
    const key = (text: string): string =>
      text
        .split(/\W+/)
        .reduce((a, b) => (b.length > a.length ? b : a), "")
        .toLowerCase();
    const sums = new Map<string, number[]>();
    const counts = new Map<string, number>();
    const means = options.models.map((m) => rows.reduce((s, r) => s + (r.outcomes[m]?.score ?? 0), 0) / rows.length);
    for (const row of rows) {
      const k = key(row.prompt);
      const sum = sums.get(k) ?? options.models.map(() => 0);
      for (const [i, m] of options.models.entries()) sum[i]! += row.outcomes[m]?.score ?? 0;
      sums.set(k, sum);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    log.trainedOn.push(new Set(rows.map((r) => r.prompt)));
    const seen: string[] = [];
    log.predicted.push(seen);
    return {
      kind,
      models: options.models,
      predict(request: ChatRequest) {
        const text = messageText(request.messages[request.messages.length - 1]!);
        seen.push(text);
        const k = key(text);
        const sum = sums.get(k);
        const n = counts.get(k) ?? 0;
        const qualities = options.models.map((_, i) => (sum ? (sum[i]! + means[i]!) / (n + 1) : means[i]!));
        return { qualities, explanation: `word "${k}" seen ${n} times` };
      },
      toParams: () => ({}),
    };
  };
}
