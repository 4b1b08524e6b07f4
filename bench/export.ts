/**
 * Exports from a large request log (issue 12 §5), `npm run bench:export`: writes a SQLite log of
 * --rows requests (default 100,000) with feedback on 30 % of them and shadow judgments on 10 %,
 * then times `rightsize export outcomes` and `rightsize export distill` on it, each in its own
 * process with its peak RSS. References in the same run: a process that only opens the log
 * (the floor) and one that loads every row at once (what streaming avoids). The exports read the
 * log page by page, so their peak memory should stay near the floor, far below loading it whole.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createProgressBar } from "../src/cli/commands/progress-bar.js";
import type { FeedbackRecord } from "../src/storage/feedback-record.js";
import { SqliteRequestLogStore } from "../src/storage/sqlite/sqlite-request-log-store.js";
import { formatTable } from "./support/latency-stats.js";

const { values } = parseArgs({ options: { rows: { type: "string", default: "100000" }, keep: { type: "boolean", default: false } } });
const rows = Number(values.rows);
const work = mkdtempSync(path.join(tmpdir(), "rightsize-export-bench-"));
const db = path.join(work, "log.db");
const T0 = Date.UTC(2026, 10, 1);
const TOPICS = ["rivers", "compilers", "tax law", "sourdough", "orbits", "jazz", "vaccines", "chess", "glaciers", "databases"];

function prompt(i: number): string {
  const topic = TOPICS[i % TOPICS.length];
  return `Request ${i}: explain ${topic} to a ${["child", "student", "engineer", "lawyer"][i % 4]} in ${(i % 5) + 2} short paragraphs, mentioning case ${i * 7919} and the year ${1900 + (i % 120)}. Keep it concrete and avoid jargon where you can.`;
}

async function seed(): Promise<number> {
  const started = performance.now();
  const store = await SqliteRequestLogStore.open(db);
  const progress = createProgressBar(process.stderr);
  const chunk = 5_000;
  for (let start = 0; start < rows; start += chunk) {
    const feedback: FeedbackRecord[] = [];
    for (let i = start; i < Math.min(rows, start + chunk); i++) {
      const id = `req-${String(i).padStart(7, "0")}`;
      const model = i % 3 === 0 ? "small" : "large";
      const answer = `${model} answer ${i}: ${"lorem ipsum dolor sit amet ".repeat(12 + (i % 9))}`;
      store.append({
        id,
        time: T0 + i * 100,
        callerId: `team-${i % 4}`,
        requestedModel: "rightsize/auto",
        router: "rightsize/auto",
        score: 0.5,
        model,
        reason: "bench",
        status: 200,
        error: null,
        attempts: [
          {
            model,
            step: "route",
            outcome: "ok",
            status: 200,
            latencyMs: 100,
            usage: { prompt_tokens: 60, completion_tokens: 90, total_tokens: 150 },
            costUsd: 0.0001,
          },
        ],
        promptTokens: 60,
        completionTokens: 90,
        usageEstimated: false,
        costUsd: 0.0001,
        ttftMs: 20,
        latencyMs: 100,
        stream: false,
        finishReason: "stop",
        prompt: JSON.stringify([{ role: "user", content: prompt(i) }]),
        answer,
        episodeId: `ep-${Math.floor(i / 4)}`,
        ...(i % 10 === 0 ? { tags: ["team=search"] } : {}),
      });
      if (i % 10 < 3) {
        feedback.push({
          id: `fb-${i}`,
          requestId: id,
          episodeId: null,
          metric: "correct",
          value: i % 7 !== 0,
          comment: null,
          demonstration: i % 50 === 0 ? `A corrected answer for request ${i}.` : null,
          source: "user",
          callerId: `team-${i % 4}`,
          time: T0 + i * 100 + 50,
        });
      }
      if (i % 10 === 5) {
        store.appendShadow({
          id: `sh-${i}`,
          requestId: id,
          router: "rightsize/auto",
          servedModel: model,
          shadowModel: model === "small" ? "large" : "small",
          direction: model === "small" ? "up" : "down",
          judgeKind: "pairwise",
          judgeModel: "judge",
          verdict: "[[A]] / [[B]]",
          score: i % 3 === 0 ? 0.9 : 0.4,
          servedScore: i % 3 === 0 ? 0.1 : 0.6,
          unparseable: false,
          shadowAnswer: `shadow answer ${i}`,
          error: null,
          shadowCostUsd: 0.0001,
          judgeCostUsd: 0.0002,
          promptTokens: 200,
          completionTokens: 20,
          time: T0 + i * 100 + 80,
        });
      }
    }
    await store.flush();
    await store.appendFeedback(feedback);
    progress.update(Math.min(rows, start + chunk), rows, "seeding the request log");
  }
  progress.done();
  await store.close();
  return (performance.now() - started) / 1000;
}

interface StepResult {
  step: string;
  seconds: number;
  peakRssMb: number;
}

function runStep(step: string, out: string): StepResult {
  const child = spawnSync(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "export-step.ts"), step, db, out], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`${step} failed (exit ${child.status})`);
  const line = child.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(line) as StepResult;
}

try {
  process.stderr.write(`bench:export — ${rows.toLocaleString("en-US")} requests, node ${process.version}\n`);
  const seedSeconds = await seed();
  const size = statSync(db).size / 1024 / 1024;
  process.stderr.write(
    `seeded ${rows.toLocaleString("en-US")} requests (+${(rows * 0.3).toLocaleString("en-US")} feedback, ${(rows * 0.1).toLocaleString("en-US")} shadow judgments) in ${seedSeconds.toFixed(1)} s, ${size.toFixed(0)} MB\n`,
  );
  const results = [
    runStep("open", ""),
    runStep("list-all", ""),
    runStep("export-outcomes", path.join(work, "outcomes.jsonl")),
    runStep("export-distill", path.join(work, "distill")),
  ];
  const loadAll = results[1] as StepResult;
  const floor = results[0] as StepResult;
  const label: Record<string, string> = {
    open: "open the log and count (floor)",
    "list-all": "load every row at once (reference)",
    "export-outcomes": "rightsize export outcomes",
    "export-distill": "rightsize export distill --format openai-chat",
  };
  const table = formatTable(
    ["step", "time s", "requests/s", "peak RSS MB", "RSS above floor MB", "peak vs load-all"],
    results.map((r) => [
      label[r.step] ?? r.step,
      r.seconds.toFixed(2),
      r.step === "open" ? "-" : Math.round(rows / r.seconds).toLocaleString("en-US"),
      r.peakRssMb.toFixed(0),
      (r.peakRssMb - floor.peakRssMb).toFixed(0),
      `${(r.peakRssMb / loadAll.peakRssMb).toFixed(2)}×`,
    ]),
  );
  process.stdout.write(`\n${table}\n`);
} finally {
  if (!values.keep) rmSync(work, { recursive: true, force: true });
}
