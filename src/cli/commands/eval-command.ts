import { readFile, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { parseCalibrationTarget } from "../../learning/calibration/calibration-target.js";
import { cascadeReplayRouters, parseCascadeSpec } from "../../learning/eval/replay/cascade-replay.js";
import { evaluateRouters } from "../../learning/eval/replay/evaluate-routers.js";
import { htmlReport } from "../../learning/eval/reports/html-report.js";
import { terminalReport } from "../../learning/eval/reports/terminal-report.js";
import { trainableKinds, trainPredictor } from "../../learning/training/train-predictor.js";
import { providerEmbeddingModels } from "../../server/provider-embedding-models.js";
import { CliError } from "../cli-error.js";
import { integerFlag, listFlag, loadOutcomeRowsForCli, loadPricesForCli } from "../outcome-input.js";
import { parseFilters } from "./train-command.js";

interface EvalFlags {
  data: string;
  routers: string;
  models: string;
  folds: string;
  seed: string;
  filter: string[];
  prices?: string;
  target: string;
  curvePoints: string;
  settings?: string;
  json?: string;
  html?: string;
  cascade: string[];
}

async function readSettings(file: string): Promise<Record<string, Record<string, unknown>>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new CliError(`--settings ${file}: ${(error as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new CliError(`--settings ${file}: expected { "<kind>": { …settings } }`);
  return raw as Record<string, Record<string, unknown>>;
}

async function runEval(flags: EvalFlags): Promise<void> {
  const models = listFlag(flags.models);
  if (models.length < 2) throw new CliError("--models: name at least two models, comma-separated");
  const kinds = listFlag(flags.routers);
  if (kinds.length === 0) throw new CliError("--routers: name at least one router kind");
  const unknown = kinds.filter((kind) => !trainableKinds().includes(kind));
  if (unknown.length) throw new CliError(`--routers: unknown kind "${unknown[0]}"; known: ${trainableKinds().join(", ")}`);
  const folds = integerFlag("--folds", flags.folds, 2, 50);
  const seed = integerFlag("--seed", flags.seed, 0, 2 ** 31 - 1);
  const curvePoints = flags.curvePoints === "all" ? "all" : integerFlag("--curve-points", flags.curvePoints, 2, 1000);
  let target;
  try {
    target = parseCalibrationTarget(flags.target);
  } catch (error) {
    throw new CliError(`--target: ${(error as Error).message}`);
  }
  const settings = flags.settings ? await readSettings(flags.settings) : undefined;
  const cascades = flags.cascade.map((spec) => {
    try {
      return parseCascadeSpec(spec, models);
    } catch (error) {
      throw new CliError(`--cascade ${(error as Error).message}`);
    }
  });
  const prices = await loadPricesForCli(flags.prices, flags.data, models);
  const { rows, summary } = await loadOutcomeRowsForCli(flags.data, parseFilters(flags.filter), models);
  if (rows.length < folds * 4)
    throw new CliError(
      `${flags.data}: only ${rows.length} usable rows for ${models.join(", ")}; need at least ${folds * 4} for ${folds} folds`,
    );
  const embeddingModels = providerEmbeddingModels();
  const report = await evaluateRouters(rows, {
    data: { file: flags.data, loadSummary: summary },
    models,
    prices,
    kinds,
    train: (kind, trainRows, options) => trainPredictor(kind, trainRows, { ...options, embeddingModels }),
    folds,
    seed,
    curvePoints,
    target,
    ...(settings ? { settings } : {}),
    ...(cascades.length ? { extraRouters: cascadeReplayRouters(rows, cascades) } : {}),
    onProgress: (message) => process.stderr.write(`${message}\n`),
  });
  process.stdout.write(terminalReport(report));
  if (flags.json) {
    await writeFile(flags.json, `${JSON.stringify(report, null, 1)}\n`);
    process.stderr.write(`wrote ${flags.json}\n`);
  }
  if (flags.html) {
    await writeFile(flags.html, htmlReport(report));
    process.stderr.write(`wrote ${flags.html}\n`);
  }
}

export function registerEvalCommand(program: Command): void {
  program
    .command("eval")
    .description(
      "Replay routers over outcome data with k-fold cross-validation: cost–quality curves, APGR, CPT, AIQ, calibrated points, baselines.",
    )
    .requiredOption("--data <file>", "outcome data JSONL (see ../shared/data/README.md)")
    .requiredOption("--models <list>", "comma-separated model names: two for a pair (threshold), more for a pool (λ)")
    .option("--routers <list>", "router kinds, comma-separated", "random,knn,linear")
    .option("--folds <k>", "cross-validation folds", "5")
    .option("--seed <n>", "random seed (folds, training, bootstrap)", "1")
    .option(
      "--filter <list>",
      "no-contaminated, no-version-conflict, category=PREFIX (repeatable)",
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option("--prices <file>", "price table JSON (USD per 1M tokens); default: prices.json beside --data")
    .option("--target <target>", "calibration target: large-share=P | cost-per-1k=USD | quality-floor=F", "quality-floor=0.95")
    .option("--curve-points <n>", "thresholds for APGR/CPT: RouteLLM's quantile bins, or all", "10")
    .option("--settings <file>", 'JSON { "<kind>": { …settings } } passed to training')
    .option("--json <file>", "write the full results as JSON")
    .option("--html <file>", "write a self-contained HTML report with SVG charts")
    .option(
      "--cascade <spec>",
      "also replay a cascade: confidence:cheap,…,last (outcomes[m].confidence) or agreement:cheap,…,last@witness (answers) (repeatable)",
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .action(async (flags: EvalFlags) => runEval(flags));
}
