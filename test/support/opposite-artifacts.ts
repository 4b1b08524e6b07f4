import { writeFileSync } from "node:fs";
import path from "node:path";
import type { OutcomeRow } from "../../src/learning/outcomes/outcome-row.js";
import { toArtifact, trainPredictor } from "../../src/learning/training/train-predictor.js";

/** Prompts of two families the synthetic artifacts are trained on. */
const prompts = Array.from({ length: 30 }, (_, i) => `Tell me about topic number ${i} in a few words`);

/**
 * Writes a knn artifact over models `small` and `large` whose training rows say the small model
 * is always enough (`prefer: "small"`) or never (`prefer: "large"`): two artifacts for the same
 * router that route every request differently, so a test can tell which one served.
 */
export async function writeOppositeArtifact(file: string, prefer: "small" | "large"): Promise<string> {
  const rows: OutcomeRow[] = prompts.map((prompt, i) => ({
    id: `row-${i}`,
    prompt,
    category: "synthetic",
    outcomes: {
      small: { score: prefer === "small" ? 1 : 0, output_chars: 40 },
      large: { score: prefer === "small" ? 0 : 1, output_chars: 40 },
    },
    extras: {},
  }));
  const predictor = await trainPredictor("knn", rows, {
    models: ["small", "large"],
    seed: 1,
    settings: { k: 5, features: { tfidf: { dims: 512 } } },
  });
  const artifact = toArtifact(predictor, {
    dataFile: `synthetic-${prefer}`,
    dataSha256: prefer,
    rows: rows.length,
    seed: 1,
    validation: {},
  });
  writeFileSync(file, JSON.stringify(artifact));
  return path.resolve(file);
}
