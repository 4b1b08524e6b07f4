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

/** A prompt of family A (small model enough), B (small enough) or C (needs the large model). */
export function familyPrompt(family: "A" | "B" | "C", i: number): string {
  if (family === "A") return `Translate the word number ${i} into French please`;
  if (family === "B") return `What is the capital city of country ${i} on the map`;
  return `Prove rigorously the theorem ${i} about prime numbers and induction`;
}

/**
 * A knn artifact trained on families A, B (the small model scores 1) and C (it scores 0; the
 * large model always 1), calibrated for one third of requests to the large model: what a router
 * trained on traffic with equal family shares would expect.
 */
export async function writeFamilyArtifact(file: string): Promise<void> {
  const rows: OutcomeRow[] = [];
  for (const family of ["A", "B", "C"] as const) {
    for (let i = 0; i < 20; i++) {
      rows.push({
        id: `${family}-${i}`,
        prompt: familyPrompt(family, i),
        category: family,
        outcomes: {
          small: { score: family === "C" ? 0 : 1, output_chars: 40 },
          large: { score: family === "C" ? 1 : 0.9, output_chars: 40 },
        },
        extras: {},
      });
    }
  }
  const predictor = await trainPredictor("knn", rows, {
    models: ["small", "large"],
    seed: 1,
    settings: { k: 5, features: { tfidf: { dims: 512 } } },
  });
  const artifact = toArtifact(predictor, { dataFile: "families", dataSha256: "families", rows: rows.length, seed: 1, validation: {} });
  artifact.calibration = {
    target: { kind: "large-share", value: 1 / 3 },
    policy: { kind: "threshold", small: "small", large: "large", threshold: 0.5 },
    expected: {
      largeShare: { value: 1 / 3, low: 0.27, high: 0.4 },
      quality: { value: 1, low: 0.98, high: 1 },
    },
    calibratedAt: "2026-12-01T00:00:00.000Z",
    rows: rows.length,
  };
  writeFileSync(file, JSON.stringify(artifact));
}
