/**
 * One measured step of `bench:export`, run in its own process so its peak memory is its own:
 * `export-outcomes` / `export-distill` run the CLI command; `list-all` loads every request at
 * once (what a streamed export avoids); `open` only opens the log and counts (the floor).
 * Prints one JSON line on stdout: seconds and peak RSS.
 */
import { main } from "../src/cli/main.js";
import { openRequestLogReader } from "../src/storage/sqlite/sqlite-request-log-reader.js";

const [step, db, out] = process.argv.slice(2) as [string, string, string];
const started = performance.now();
if (step === "export-outcomes") {
  const code = await main(["node", "rightsize", "export", "outcomes", "--db", db, "--out", out]);
  if (code !== 0) process.exit(code);
} else if (step === "export-distill") {
  const code = await main([
    "node",
    "rightsize",
    "export",
    "distill",
    "--db",
    db,
    "--format",
    "openai-chat",
    "--out",
    out,
    "--teacher",
    "large",
  ]);
  if (code !== 0) process.exit(code);
} else {
  const reader = await openRequestLogReader(db);
  const total = await reader.count();
  if (step === "list-all") {
    const all = await reader.list({ limit: total });
    const feedback = await reader.listFeedback({ limit: total });
    if (all.length + feedback.length === 0) process.exit(1);
  }
  await reader.close();
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ step, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
