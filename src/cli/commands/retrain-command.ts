import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { RouterArtifact } from "../../routing/learned/quality-predictor.js";
import { parseRouterArtifact } from "../../routing/learned/router-artifact-schema.js";
import { ArtifactHistory } from "../../learning/artifact-history.js";
import { parseCalibrationTarget } from "../../learning/calibration/calibration-target.js";
import type { OutcomeRow } from "../../learning/outcomes/outcome-row.js";
import { candidateTrainer } from "../../learning/retrain/candidate-trainer.js";
import { loggedOutcomeRows } from "../../learning/retrain/logged-outcome-rows.js";
import { type RetrainResult, retrainRouter } from "../../learning/retrain/retrain-router.js";
import { AUTO_ROUTER } from "../../learning/selection/train-auto-predictor.js";
import { loadLogSettings } from "../../config/load-log-settings.js";
import { ConfigError } from "../../config/config-error.js";
import { PriceTable } from "../../pricing/price-table.js";
import { CliError } from "../cli-error.js";
import { integerFlag, loadOutcomeRowsForCli, loadPricesForCli } from "../outcome-input.js";
import { routerArtifact } from "../router-artifact-flag.js";
import { openSource } from "./export-command.js";
import { createProgressBar } from "./progress-bar.js";

export interface RetrainFlags {
  config?: string;
  router?: string;
  artifact?: string;
  db?: string;
  since?: string;
  data: string[];
  prices?: string;
  target?: string;
  margin: string;
  kind?: string;
  seed: string;
  timeLimit: string;
  candidate?: string;
  /** No progress bar (a caller that prints its own). */
  quiet?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** `rightsize retrain`: the gateway's own traffic retrains its router; the new one serves only if it is not worse. */
export function registerRetrainCommand(program: Command): void {
  program
    .command("retrain")
    .description(
      "Retrain a learned router from the request log (feedback, shadow judgments) and outcome files; promote the new one only if it is not worse on held-out rows.",
    )
    .option("-c, --config <file>", "config file: its request log, prices, and (with --router) the router's artifact")
    .option("--router <id>", "router id in --config")
    .option("--artifact <file>", "the serving artifact (instead of --config/--router)")
    .option("--db <file|url>", "request log file or postgres:// URL (default: the config's storage)")
    .option("--since <when>", "only logged requests since a duration ago (30m, 1h, 2d) or a UTC date")
    .option("--data <file>", "extra outcome data JSONL (repeatable)", (value: string, all: string[]) => [...all, value], [])
    .option("--prices <file>", "price table JSON (default: the config's model prices)")
    .option("--target <target>", "large-share=P | cost-per-1k=USD | quality-floor=F (default: the serving artifact's)")
    .option("--margin <x>", "how much worse still counts as not worse (quality score, or relative cost for a quality floor)", "0.01")
    .option(
      "--kind <kind>",
      `router kind to train, or ${AUTO_ROUTER} (inner cross-validation; the default for a router of kind learned, else the router's kind)`,
    )
    .option("--seed <n>", "seed of the split, training and bootstrap", "1")
    .option("--time-limit <s>", "time bound of the automatic selection in seconds", "120")
    .option("--candidate <file>", "judge this artifact (trained elsewhere) instead of training one")
    .option("--dry-run", "decide, but write nothing")
    .option("--json", "print the result as JSON")
    .action(async (flags: RetrainFlags) => {
      const result = await runRetrain(flags);
      process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : formatRetrain(result));
    });
}

/** Runs `rightsize retrain` with parsed flags (progress on stderr) and returns what it decided. */
export async function runRetrain(flags: RetrainFlags): Promise<RetrainResult> {
  const { file, kind: configuredKind } = await routerArtifact(flags);
  // A router configured with one kind serves only artifacts of that kind; `learned` serves any.
  const kind = flags.kind ?? (configuredKind && configuredKind !== "learned" ? configuredKind : AUTO_ROUTER);
  if (kind === AUTO_ROUTER && configuredKind && configuredKind !== "learned") {
    throw new CliError(
      `router ${flags.router} is configured as kind ${configuredKind}, which serves only ${configuredKind} artifacts; set its kind to learned to retrain with --kind auto`,
    );
  }
  const history = new ArtifactHistory(file);
  const margin = Number(flags.margin);
  if (!Number.isFinite(margin) || margin < 0 || margin > 1)
    throw new CliError(`--margin: expected a number in [0, 1], got "${flags.margin}"`);
  const seed = integerFlag("--seed", flags.seed, 0, 2 ** 31 - 1);
  const timeLimitS = integerFlag("--time-limit", flags.timeLimit, 1, 86_400);
  let target;
  if (flags.target) {
    try {
      target = parseCalibrationTarget(flags.target);
    } catch (error) {
      throw new CliError(`--target: ${(error as Error).message}`);
    }
  }
  const serving = await history.read((await history.adoptCurrent()) ?? "").catch((error: Error) => {
    throw new CliError(`${file}: ${error.message}`);
  });
  const models = serving.artifact.models;
  const rows: OutcomeRow[] = [];
  const sources: string[] = [];
  if (flags.config || flags.db) {
    const { reader, db, since } = await openSource({ ...flags });
    try {
      const logged = await loggedOutcomeRows(reader, since === undefined ? {} : { since });
      rows.push(...logged.rows);
      const summary = logged.summary;
      sources.push(`${db} (${summary.rows} outcome rows from ${summary.read} requests)`);
    } finally {
      await reader.close();
    }
  }
  for (const data of flags.data) {
    const loaded = await loadOutcomeRowsForCli(data, {}, models);
    rows.push(...loaded.rows);
    sources.push(`${data} (${loaded.rows.length} rows)`);
  }
  if (sources.length === 0) throw new CliError("no data: give --config (its request log), --db, or --data FILE");
  const prices = await pricesFor(flags, models, serving.artifact.prices);
  const progress = flags.quiet ? { update: () => undefined, done: () => undefined } : createProgressBar(process.stderr);
  const train = candidateTrainer(kind, timeLimitS);
  let candidate: RouterArtifact | undefined;
  if (flags.candidate) {
    try {
      candidate = parseRouterArtifact(JSON.parse(await readFile(flags.candidate, "utf8")));
    } catch (error) {
      throw new CliError(
        `--candidate ${flags.candidate}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
      );
    }
  }
  try {
    const result = await retrainRouter({
      ...(candidate ? { candidate } : {}),
      history,
      rows,
      prices,
      margin,
      seed,
      train,
      dataFile: sources.join(" + "),
      ...(target ? { target } : {}),
      ...(flags.dryRun ? { dryRun: true } : {}),
      onProgress: (stage, done, total) => progress.update(done, total, stage),
    });
    progress.done();
    return result;
  } catch (error) {
    progress.done();
    throw new CliError((error as Error).message);
  }
}

async function pricesFor(
  flags: RetrainFlags,
  models: readonly string[],
  artifactPrices: Record<string, { input: number; output: number }> | undefined,
) {
  if (flags.prices) return loadPricesForCli(flags.prices, flags.prices, models);
  const table = new PriceTable(Object.entries(artifactPrices ?? {}).map(([id, price]) => ({ id, price })));
  if (flags.config) {
    try {
      const settings = await loadLogSettings(flags.config);
      return new PriceTable([...Object.entries(artifactPrices ?? {}).map(([id, price]) => ({ id, price })), ...settings.prices]);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(error.message);
      throw error;
    }
  }
  return table;
}

/** What retrain decided, as a person reads it. */
export function formatRetrain(result: RetrainResult): string {
  const { comparison: c } = result;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const range = (e: { value: number; low: number; high: number }, f: (x: number) => string) =>
    `${f(e.value)} (95% ${f(e.low)}–${f(e.high)})`;
  const num = (x: number) => x.toFixed(4);
  return [
    `rows: ${result.rows.usable} with outcomes for ${result.models.join(" and ")} (${result.rows.skipped} without): train ${result.rows.train}, calibration ${result.rows.calibration}, held out ${result.rows.holdout}`,
    `candidate: ${result.chosen}, calibrated for ${result.target.kind}=${result.target.value}`,
    `held-out comparison (${c.rows} rows, paired bootstrap):`,
    `  serving  quality ${range(c.old.quality, num)}, large share ${range(c.old.largeShare, pct)}, cost ${range(c.old.costPer1k, num)} USD/1k`,
    `  new      quality ${range(c.new.quality, num)}, large share ${range(c.new.largeShare, pct)}, cost ${range(c.new.costPer1k, num)} USD/1k`,
    `  new − serving: quality ${range(c.delta.quality, num)}, cost ${range(c.delta.costPer1k, num)} USD/1k`,
    result.promoted
      ? `promoted ${result.version} over ${result.parent}: ${result.verdict.reason}`
      : result.verdict.promote
        ? `would promote (dry run): ${result.verdict.reason}`
        : `kept ${result.parent}; candidate ${result.version} refused: ${result.verdict.reason}`,
    "",
  ].join("\n");
}
