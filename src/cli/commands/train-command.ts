import { readFile, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import {
  dataSha256,
  formatLoadReport,
  loadOutcomeData,
  OutcomeDataError,
  type OutcomeFilter,
} from "../../learning/outcomes/load-outcome-data.js";
import { trainableKinds, toArtifact, trainPredictor } from "../../learning/training/train-predictor.js";
import { loadPriceFile, PriceFileError } from "../../learning/outcomes/load-price-file.js";
import { providerEmbeddingModels } from "../../server/provider-embedding-models.js";
import { SeededRandom } from "../../routing/learned/seeded-random.js";
import { validatePredictor } from "../../learning/training/validate-predictor.js";
import { formatSelection, type RouterSelection } from "../../learning/selection/select-router.js";
import { AUTO_ROUTER, trainAutoPredictor } from "../../learning/selection/train-auto-predictor.js";
import { createProgressBar } from "./progress-bar.js";

interface TrainFlags {
  data: string;
  models: string;
  router: string;
  out: string;
  seed: string;
  validFraction: string;
  filter: string[];
  settings?: string;
  prices?: string;
  timeLimit: string;
}

/** The kinds `--router` takes: auto (the default) and every trainable kind. */
export function routerChoices(): string[] {
  return [AUTO_ROUTER, ...trainableKinds()];
}

/** `--filter no-contaminated,no-version-conflict,category=gsm8k` → loader filter. */
export function parseFilters(values: readonly string[]): OutcomeFilter {
  const filter: OutcomeFilter = {};
  const categories: string[] = [];
  for (const value of values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean)) {
    if (value === "no-contaminated") filter.dropContaminated = true;
    else if (value === "no-version-conflict") filter.dropVersionConflict = true;
    else if (value.startsWith("category=")) categories.push(value.slice("category=".length));
    else throw new CliError(`--filter: unknown filter "${value}" (use no-contaminated, no-version-conflict, category=PREFIX)`);
  }
  if (categories.length) filter.categoryPrefixes = categories;
  return filter;
}

function number(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new CliError(`${flag}: expected a number in [${min}, ${max}], got "${text}"`);
  return value;
}

async function readJsonFile(flag: string, file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new CliError(`${flag} ${file}: ${(error as Error).message}`);
  }
}

async function readPrices(file: string, models: readonly string[]) {
  try {
    return await loadPriceFile(file, models);
  } catch (error) {
    if (error instanceof PriceFileError) throw new CliError(`--prices ${error.message}`);
    throw error;
  }
}

/** The selection as stored: without the timings, so the same command writes the same artifact. */
function storedSelection(selection: RouterSelection): object {
  return { ...selection, table: selection.table.map(({ seconds: _seconds, ...row }) => row) };
}

async function runTrain(flags: TrainFlags): Promise<void> {
  const models = flags.models
    .split(",")
    .map((m) => m.trim())
    .filter(Boolean);
  if (models.length < 2) throw new CliError("--models: name at least two models, comma-separated");
  if (!routerChoices().includes(flags.router))
    throw new CliError(`--router: unknown kind "${flags.router}"; known: ${routerChoices().join(", ")}`);
  const timeLimitS = number("--time-limit", flags.timeLimit, 1, 86_400);
  if (flags.router === AUTO_ROUTER && flags.settings)
    throw new CliError("--settings: not with --router auto (it chooses the settings); name a kind with --router");
  const seed = number("--seed", flags.seed, 0, 2 ** 31 - 1);
  const validFraction = number("--valid-fraction", flags.validFraction, 0, 0.9);
  const settings = flags.settings ? ((await readJsonFile("--settings", flags.settings)) as Record<string, unknown>) : {};
  const prices = flags.prices ? await readPrices(flags.prices, models) : undefined;
  let loaded;
  try {
    loaded = await loadOutcomeData(flags.data, { ...parseFilters(flags.filter), requireModels: models });
  } catch (error) {
    if (error instanceof OutcomeDataError) throw new CliError(error.message);
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new CliError(`--data ${flags.data}: no such file`);
    throw error;
  }
  process.stderr.write(`${formatLoadReport(loaded.report)}\n`);
  const rows = loaded.rows;
  if (rows.length < 10) throw new CliError(`${flags.data}: only ${rows.length} usable rows for ${models.join(", ")}; need at least 10`);
  const order = new SeededRandom(seed).permutation(rows.length);
  const validCount = Math.round(rows.length * validFraction);
  const valid = Array.from(order.subarray(0, validCount), (i) => rows[i]).filter((row) => row !== undefined);
  const train = Array.from(order.subarray(validCount), (i) => rows[i]).filter((row) => row !== undefined);
  const progress = createProgressBar(process.stderr);
  let predictor;
  let selection: RouterSelection | undefined;
  if (flags.router === AUTO_ROUTER) {
    ({ predictor, selection } = await trainAutoPredictor(train, {
      models,
      seed,
      timeBudgetMs: timeLimitS * 1000,
      embeddingModels: providerEmbeddingModels(),
      onProgress: progress.update,
    }));
    progress.done();
    process.stdout.write(formatSelection(selection));
  } else {
    predictor = await trainPredictor(flags.router, train, {
      models,
      seed,
      settings,
      onProgress: progress.update,
      embeddingModels: providerEmbeddingModels(),
    });
    progress.done();
  }
  const validation = valid.length ? await validatePredictor(predictor, valid, prices) : { rows: 0 };
  const artifact = toArtifact(
    predictor,
    {
      dataFile: flags.data,
      dataSha256: await dataSha256(flags.data),
      rows: train.length,
      seed,
      validation,
      ...(selection ? { selection: storedSelection(selection) } : {}),
    },
    prices,
  );
  await writeFile(flags.out, JSON.stringify(artifact));
  const figures = Object.entries(validation).map(([key, value]) => `${key} ${Number.isInteger(value) ? value : value.toFixed(4)}`);
  const trained = selection ? `${predictor.kind} (auto: ${selection.chosen.name})` : flags.router;
  process.stdout.write(`trained ${trained} on ${train.length} rows (${models.join(", ")}), wrote ${flags.out}\n`);
  process.stdout.write(`held-out validation (${valid.length} rows): ${figures.join(", ")}\n`);
}

export function registerTrainCommand(program: Command): void {
  program
    .command("train")
    .description("Train a learned router on outcome data (JSONL) and write its artifact.")
    .requiredOption("--data <file>", "outcome data JSONL (see ../shared/data/README.md)")
    .requiredOption("--models <list>", "comma-separated model names of the data, e.g. small,large")
    .option(
      "--router <kind>",
      `router kind: ${routerChoices().join(", ")}; auto chooses the kind and its key settings by inner cross-validation on the training rows`,
      AUTO_ROUTER,
    )
    .requiredOption("--out <file>", "artifact to write (router.json)")
    .option("--seed <n>", "random seed", "1")
    .option("--valid-fraction <f>", "share of rows held out for validation", "0.2")
    .option(
      "--filter <list>",
      "no-contaminated, no-version-conflict, category=PREFIX (repeatable)",
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option("--settings <file>", "JSON file with kind settings (k, epochs, features, …); not with --router auto")
    .option("--time-limit <seconds>", "--router auto: stop trying further candidates after this long", "300")
    .option("--prices <file>", "price table JSON (USD per 1M tokens per model), stored in the artifact")
    .action(async (flags: TrainFlags) => runTrain(flags));
}
