/**
 * Router decision speed (issue 3 §8): every learned router with built-in features, trained on
 * 10,000+ MMLU-Pro rows, deciding through the gateway factory (features + prediction + policy)
 * on one core. Target: p99 ≤ 1 ms and ≥ 5,000 decisions/s. Reference: RouteLLM's MF router
 * serves about 155 requests/s.
 * Run: npm run bench:router-speed
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ModelConfig } from "../src/config/config-schema.js";
import { promptRequest } from "../src/routing/features/request-feature-text.js";
import { loadOutcomeData } from "../src/learning/outcomes/load-outcome-data.js";
import { createLearnedRouter } from "../src/routing/learned/learned-router.js";
import { trainableKinds, toArtifact, trainPredictor } from "../src/learning/training/train-predictor.js";
import { sharedDir } from "./routing-quality-tasks.js";

const small = "Meta-Llama-3.1-8B-Instruct";
const large = "gpt-4o-2024-05-13";
const routeLlmMfPerSecond = 155;
const decisions = Number(process.env.DECISIONS ?? 4000);

const data = path.join(sharedDir(), "data");
const { rows } = await loadOutcomeData(path.join(data, "mmlupro_outcomes.jsonl"), {
  dropVersionConflict: true,
  requireModels: [small, large],
});
const queries = (
  await loadOutcomeData(path.join(data, "routellm_outcomes.jsonl"), { categoryPrefixes: ["mmlu/", "gsm8k"], limit: 16000 })
).rows
  .filter((_, i) => i % 8 === 0)
  .map((row) => promptRequest(row.prompt));
const dir = mkdtempSync(path.join(tmpdir(), "rightsize-speed-"));
const models = [small, large].map(
  (id) =>
    ({
      id,
      provider: "openai-compatible",
      model: id,
      baseUrl: "http://127.0.0.1:1/v1",
      price: { input: 1, output: 1 },
    }) as unknown as ModelConfig,
);

console.log(
  `index: ${rows.length} MMLU-Pro rows; queries: ${queries.length} RouteLLM prompts, ${decisions} timed decisions per router (after 300 warm-up)`,
);
console.log("| router | train s | decisions/s | p50 ms | p99 ms | max ms | × RouteLLM MF (155/s) | target met |");
console.log("|---|---|---|---|---|---|---|---|");
const kinds = process.env.KINDS ? process.env.KINDS.split(",") : trainableKinds();
for (const kind of kinds) {
  const trainStart = Date.now();
  const predictor = await trainPredictor(kind, rows, { models: [small, large], seed: 1 });
  const trainSeconds = (Date.now() - trainStart) / 1000;
  const file = path.join(dir, `${kind}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      toArtifact(predictor, { dataFile: "mmlupro_outcomes.jsonl", dataSha256: "", rows: rows.length, seed: 1, validation: {} }),
    ),
  );
  const router = await createLearnedRouter(
    { id: "auto", kind, settings: { artifact: file }, targets: [], fallbacks: [] },
    { models, configDir: dir },
  );
  for (let i = 0; i < 300; i++) await router.decide(queries[i % queries.length] ?? promptRequest(""), { headers: {} });
  const times = new Float64Array(decisions);
  const started = process.hrtime.bigint();
  for (let i = 0; i < decisions; i++) {
    const t0 = process.hrtime.bigint();
    const decision = router.decide(queries[i % queries.length] ?? promptRequest(""), { headers: {} });
    if (decision instanceof Promise) await decision;
    times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  const total = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = Array.from(times).sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const perSecond = decisions / total;
  const met = at(0.99) <= 1 && perSecond >= 5000 ? "yes" : "no";
  console.log(
    `| ${kind} | ${trainSeconds.toFixed(1)} | ${perSecond.toFixed(0)} | ${at(0.5).toFixed(3)} | ${at(0.99).toFixed(3)} | ${(sorted[sorted.length - 1] ?? 0).toFixed(2)} | ${(perSecond / routeLlmMfPerSecond).toFixed(0)}× | ${met} |`,
  );
}
console.log("one Node thread; the machine has 2 cores shared with other work, so figures are noisy");
