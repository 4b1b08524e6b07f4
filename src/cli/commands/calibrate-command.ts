import { readFile, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { PriceTable } from "../../pricing/price-table.js";
import type { CalibrationResult } from "../../learning/calibration/calibrate-router.js";
import { formatCalibrationTarget, parseCalibrationTarget } from "../../learning/calibration/calibration-target.js";
import { formatEstimate, formatNumber, formatPolicy, formatShare, formatUsd } from "../../learning/eval/reports/format-figures.js";
import { dataSha256 } from "../../learning/outcomes/load-outcome-data.js";
import type { RouterArtifact } from "../../routing/learned/quality-predictor.js";
import { parseRouterArtifact } from "../../routing/learned/router-artifact-schema.js";
import { calibrateArtifact } from "../../learning/retrain/calibrate-artifact.js";
import { CliError } from "../cli-error.js";
import { integerFlag, loadOutcomeRowsForCli, loadPricesForCli } from "../outcome-input.js";
import { parseFilters } from "./train-command.js";

interface CalibrateFlags {
  router: string;
  data: string;
  target: string;
  prices?: string;
  out?: string;
  filter: string[];
  seed: string;
  resamples: string;
}

async function readArtifact(file: string): Promise<RouterArtifact> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`--router ${file}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  try {
    return parseRouterArtifact(raw);
  } catch (error) {
    throw new CliError(`--router ${file}: ${(error as Error).message}`);
  }
}

async function runCalibrate(flags: CalibrateFlags): Promise<void> {
  let target;
  try {
    target = parseCalibrationTarget(flags.target);
  } catch (error) {
    throw new CliError(`--target: ${(error as Error).message}`);
  }
  const seed = integerFlag("--seed", flags.seed, 0, 2 ** 31 - 1);
  const resamples = integerFlag("--resamples", flags.resamples, 10, 100_000);
  const artifact = await readArtifact(flags.router);
  const models = artifact.models;
  const prices = await loadPricesForCli(
    flags.prices,
    flags.data,
    models,
    artifact.prices ? PriceTable.fromRecord(artifact.prices) : undefined,
  );
  const { rows } = await loadOutcomeRowsForCli(flags.data, parseFilters(flags.filter), models);
  if (rows.length < 10)
    throw new CliError(`${flags.data}: only ${rows.length} usable rows for ${models.join(", ")}; need at least 10 to calibrate`);
  if ((await dataSha256(flags.data)) === artifact.training.dataSha256) {
    process.stderr.write(`warning: ${flags.data} is the router's training data; calibrated figures are optimistic (use held-out rows)\n`);
  }
  process.stderr.write(`predicting ${rows.length} rows with ${artifact.kind}\n`);
  const { result, large } = await calibrateArtifact(artifact, rows, target, prices, { seed, resamples });
  if (!result.met) throw new CliError(`target ${formatCalibrationTarget(target)} cannot be met on ${flags.data}: ${result.note ?? ""}`);
  const out = flags.out ?? flags.router;
  await writeFile(out, JSON.stringify({ ...artifact, calibration: result.operatingPoint }));
  process.stdout.write(summary(artifact, result, large, flags.data, out));
}

function summary(artifact: RouterArtifact, result: CalibrationResult, large: string, data: string, out: string): string {
  const f = result.figures;
  const policy = result.operatingPoint.policy;
  const setting =
    policy.kind === "single"
      ? ` } # the calibration in the artifact sends every request to ${policy.model}`
      : `, ${policy.kind === "threshold" ? `threshold: ${policy.threshold}` : `lambda: ${policy.lambda}`} }`;
  return [
    `calibrated ${artifact.kind} for ${formatCalibrationTarget(result.operatingPoint.target)} on ${result.operatingPoint.rows} rows of ${data}: ${formatPolicy(policy)}`,
    `expected (bootstrap 95% intervals): quality ${formatEstimate(f.quality, (x) => formatNumber(x))}, ` +
      `${formatEstimate(f.qualityVsLarge, formatShare)} of ${large}, cost ${formatEstimate(f.costPer1k, formatUsd)} USD per 1,000 requests, ` +
      `large calls ${formatEstimate(f.largeShare, formatShare)}`,
    `wrote the calibration into ${out}; or set it in the config:`,
    `  routers:\n    - id: learned\n      kind: ${artifact.kind}\n      settings: { artifact: ${out}${setting}`,
    ...(result.note && policy.kind === "single" ? [result.note] : []),
    "",
  ].join("\n");
}

export function registerCalibrateCommand(program: Command): void {
  program
    .command("calibrate")
    .description("Choose a router's threshold (pair) or λ (N models) for one target on calibration data, with bootstrap 95% intervals.")
    .requiredOption("--router <file>", "router artifact from `rightsize train`")
    .requiredOption("--data <file>", "calibration outcome data JSONL (rows the router did not train on)")
    .requiredOption("--target <target>", "large-share=P (0..1) | cost-per-1k=USD | quality-floor=F (share of the large model's quality)")
    .option("--prices <file>", "price table JSON (USD per 1M tokens); default: the artifact's prices, else prices.json beside --data")
    .option("--out <file>", "where to write the calibrated artifact (default: --router, in place)")
    .option(
      "--filter <list>",
      "no-contaminated, no-version-conflict, category=PREFIX (repeatable)",
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option("--seed <n>", "bootstrap seed", "1")
    .option("--resamples <n>", "bootstrap resamples", "1000")
    .action(async (flags: CalibrateFlags) => runCalibrate(flags));
}
