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
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { OutcomeRow } from "../../learning/outcomes/outcome-row.js";
import { AUTO_ROUTER, trainAutoPredictor } from "../../learning/selection/train-auto-predictor.js";
import { PriceTable } from "../../pricing/price-table.js";

/** Whether prices.json beside the data file prices every model of the pair (else the pair runs on relative costs). */
function hasPricesBeside(dataFile: string, models: readonly string[]): boolean {
  const beside = path.join(path.dirname(dataFile), "prices.json");
  if (!existsSync(beside)) return false;
  try {
    const record = JSON.parse(readFileSync(beside, "utf8")) as Record<string, unknown>;
    return models.every((m) => record[m] !== undefined);
  } catch {
    return true;
  }
}

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
  strong?: string;
  weak?: string;
  timeLimit: string;
}

/** The kinds `--routers` takes: auto (nested: chosen inside each outer training fold) and every trainable kind. */
function evalRouterChoices(): string[] {
  return [AUTO_ROUTER, ...trainableKinds()];
}

/**
 * A pair without a price table: APGR and CPT need no prices, only which model is the strong one
 * (--strong / --weak, else the higher mean score). Costs are then in relative units: the weak
 * model free, the strong one 1 USD per 1M tokens.
 */
function relativePairPrices(models: readonly string[], rows: readonly OutcomeRow[], flags: EvalFlags): PriceTable {
  const meanScore = (model: string): number => rows.reduce((s, r) => s + (r.outcomes[model]?.score ?? 0), 0) / Math.max(1, rows.length);
  const [a = "", b = ""] = models;
  const named = flags.strong ?? (flags.weak ? models.find((m) => m !== flags.weak) : undefined);
  const strong = named ?? (meanScore(b) >= meanScore(a) ? b : a);
  return new PriceTable(models.map((id) => ({ id, price: id === strong ? { input: 1, output: 1 } : { input: 0, output: 0 } })));
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
  const unknown = kinds.filter((kind) => !evalRouterChoices().includes(kind));
  if (unknown.length) throw new CliError(`--routers: unknown kind "${unknown[0]}"; known: ${evalRouterChoices().join(", ")}`);
  for (const [flag, model] of [
    ["--strong", flags.strong],
    ["--weak", flags.weak],
  ] as const) {
    if (model !== undefined && (models.length !== 2 || !models.includes(model)))
      throw new CliError(`${flag}: ${model} is not one of the pair --models ${models.join(",")}`);
  }
  if (flags.strong && flags.weak && flags.strong === flags.weak) throw new CliError("--strong and --weak name the same model");
  const timeLimitS = integerFlag("--time-limit", flags.timeLimit, 1, 86_400);
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
  const pricesKnown = models.length !== 2 || flags.prices !== undefined || hasPricesBeside(flags.data, models);
  const knownPrices = pricesKnown ? await loadPricesForCli(flags.prices, flags.data, models) : undefined;
  const { rows, summary } = await loadOutcomeRowsForCli(flags.data, parseFilters(flags.filter), models);
  const prices = knownPrices ?? relativePairPrices(models, rows, flags);
  if (!knownPrices)
    process.stderr.write(
      `no price table: APGR and CPT need none; costs below are relative (${prices.models.find((m) => m.price.input > 0)?.id} = 1 per token, the other 0)\n`,
    );
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
    train: async (kind, trainRows, options) => {
      if (kind !== AUTO_ROUTER) return trainPredictor(kind, trainRows, { ...options, embeddingModels });
      const { predictor, selection } = await trainAutoPredictor(trainRows, {
        ...options,
        embeddingModels,
        timeBudgetMs: timeLimitS * 1000,
      });
      process.stderr.write(
        `auto (inner ${selection.innerFolds}-fold CV on ${trainRows.length} training rows): chose ${selection.chosen.name}\n`,
      );
      return predictor;
    },
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
    .option(
      "--routers <list>",
      `router kinds, comma-separated: ${evalRouterChoices().join(", ")} (auto: chosen by inner cross-validation inside each training fold, so its figure is honest)`,
      "random,knn,linear",
    )
    .option("--strong <model>", "pair without prices: the strong model (default: the higher mean score)")
    .option("--weak <model>", "pair without prices: the weak model")
    .option("--time-limit <seconds>", "auto: time bound of each inner selection", "300")
    .option("--folds <k>", "cross-validation folds", "5")
    .option("--seed <n>", "random seed (folds, training, bootstrap)", "1")
    .option(
      "--filter <list>",
      "no-contaminated, no-version-conflict, category=PREFIX (repeatable)",
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option(
      "--prices <file>",
      "price table JSON (USD per 1M tokens); default: prices.json beside --data; a pair needs none (APGR and CPT do not use prices)",
    )
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
