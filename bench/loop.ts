/**
 * `npm run bench:loop`: the learning loop end to end (test/support/learning-loop.ts) — a real
 * gateway, the simulator scripted with quality per prompt family, shadow and feedback, retrain,
 * promotion by file watch — for several rounds; prints per round labelled rows, large share,
 * judged quality and cost per 1,000 requests against the references of the same run (round 0 is
 * the always-large router; the oracle sends only family C to the large model), checks the
 * targets, and writes reports/loop.html with the learning curve.
 *
 * Options: --rounds N (5), --requests N per round (300), --out FILE.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { LearningLoop, type RoundFigures } from "../test/support/learning-loop.js";
import { loopReport } from "./support/loop-report.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    requests: { type: "string", default: "300" },
    out: { type: "string", default: "reports/loop.html" },
  },
});
const rounds = Number(values.rounds);
const requestsPerRound = Number(values.requests);
const ORACLE = 1 / 3;

const loop = new LearningLoop();
await loop.start();
const started = performance.now();
console.log(`learning loop: ${rounds} rounds × ${requestsPerRound} requests (families A, B, C equally; small good at A and B)\n`);
console.log("round  requests  labelled rows  large share  vs oracle  judged quality  vs always-large  USD/1k  vs always-large  retrain");
let alwaysLarge: RoundFigures | undefined;
const figures = await loop.run({
  rounds,
  requestsPerRound,
  feedbackShare: 0.5,
  target: "large-share=0.45",
  seed: 11,
  concurrency: 4,
  onRound: (r) => {
    alwaysLarge ??= r;
    const retrain = r.retrain ? (r.retrain.promoted ? `promoted ${r.retrain.version}` : `kept: ${r.retrain.verdict.reason}`) : "–";
    console.log(
      `${String(r.round).padStart(5)}  ${String(r.requests).padStart(8)}  ${String(r.labelledRows || "–").padStart(13)}  ${pct(r.largeShare).padStart(11)}  ${signedPoints(r.largeShare - ORACLE).padStart(9)}  ` +
        `${pct(r.quality).padStart(14)}  ${ratio(r.quality, alwaysLarge.quality).padStart(15)}  ${r.costPer1k.toFixed(3).padStart(6)}  ${ratio(r.costPer1k, alwaysLarge.costPer1k).padStart(15)}  ${retrain}`,
    );
  },
});
// Drift: a traffic mix with far more of family C.
await loop.traffic(
  Array.from({ length: 250 }, (_, i) => (i % 5 === 0 ? "A" : "C")),
  { concurrency: 4, feedbackShare: 0, seed: 99 },
);
const drift = await loop.status();
await loop.close();

const last = figures.at(-1);
const first = figures[0];
const checks = [
  { name: "large share within 10 points of the oracle's", pass: Math.abs((last?.largeShare ?? 1) - ORACLE) <= 0.1 },
  { name: "judged quality ≥ 95% of always-large in every round", pass: figures.every((r) => r.quality >= 0.95 * (first?.quality ?? 1)) },
  { name: "no request dropped or logged twice during hot swaps", pass: figures.every((r) => r.dropped === 0) },
  { name: "drifted mix (80% family C) raises the drift warning", pass: drift.warnings.length > 0 },
];
console.log(`\n${checks.map((c) => `${c.pass ? "PASS" : "FAIL"}  ${c.name}`).join("\n")}`);
if (drift.warnings[0]) console.log(`  drift: ${drift.warnings[0]}`);
const out = path.resolve(values.out);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, loopReport(figures, { oracleLargeShare: ORACLE, alwaysLargeQuality: first?.quality ?? 1 }));
console.log(`\n${((performance.now() - started) / 1000).toFixed(1)} s; learning curve: ${out}`);
if (checks.some((c) => !c.pass)) process.exitCode = 1;

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
function signedPoints(x: number): string {
  return `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} pt`;
}
function ratio(x: number, reference: number): string {
  return reference > 0 ? `${(x / reference).toFixed(3)}×` : "–";
}
