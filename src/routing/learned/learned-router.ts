import { readFile } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { parseRouterSettings } from "../parse-router-settings.js";
import type { RouterFactory } from "../router-factory.js";
import { RouterSettingsError } from "../router-settings-error.js";
import type { RouteDecision, Router } from "../router.js";
import { requestFeatureText } from "../features/request-feature-text.js";
import { PriceTable, type PricedModel } from "../../pricing/price-table.js";
import { applyRoutingPolicy, defaultPolicy, estimateCosts } from "./apply-routing-policy.js";
import { loadPredictor } from "./predictor-registry.js";
import type { QualityPrediction, RouterArtifact, RoutingPolicy } from "./quality-predictor.js";
import { learnedRouterSettingsSchema as learnedSettings } from "./learned-router-settings.js";
import { parseRouterArtifact } from "./router-artifact-schema.js";

async function readArtifact(file: string, shown: string): Promise<RouterArtifact> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new RouterSettingsError(
      "settings.artifact",
      `cannot read router artifact ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return parseRouterArtifact(JSON.parse(text));
  } catch (error) {
    throw new RouterSettingsError("settings.artifact", `${shown} is not a valid router artifact: ${(error as Error).message}`);
  }
}

function choosePolicy(
  artifact: RouterArtifact,
  settings: z.output<typeof learnedSettings>,
  meanScores: readonly number[],
  prices: PriceTable,
): RoutingPolicy {
  if (settings.lambda !== undefined) return { kind: "cost-penalty", lambda: settings.lambda };
  const base = artifact.calibration?.policy ?? defaultPolicy(artifact.models, meanScores, prices);
  if (settings.threshold === undefined) return base;
  if (base.kind !== "threshold")
    throw new RouterSettingsError(
      "settings.threshold",
      `settings.threshold needs a pair artifact; ${settings.artifact} routes ${artifact.models.length} models (use settings.lambda)`,
    );
  return { ...base, threshold: settings.threshold };
}

/** A router of a learned kind: loads its artifact, predicts quality per model, applies the policy. */
export const createLearnedRouter: RouterFactory = async (config, context) => {
  const settings = parseRouterSettings(learnedSettings, config.settings);
  const file = path.resolve(context.configDir, settings.artifact);
  const artifact = await readArtifact(file, settings.artifact);
  if (config.kind !== "learned" && artifact.kind !== config.kind) {
    throw new RouterSettingsError(
      "settings.artifact",
      `${settings.artifact} holds a "${artifact.kind}" router, but this router's kind is "${config.kind}"`,
    );
  }
  const configured = new Map(context.models.map((model) => [model.id, model]));
  const targets = artifact.models.map((name) => {
    const id = settings.models?.[name] ?? name;
    if (!configured.has(id)) {
      throw new RouterSettingsError(
        `settings.models`,
        `artifact model "${name}" maps to "${id}", which is not a configured model; map it with settings.models`,
      );
    }
    return id;
  });
  const stored = PriceTable.fromRecord(artifact.prices ?? {});
  const fromConfig: PricedModel[] = [];
  artifact.models.forEach((name, i) => {
    const price = configured.get(targets[i] ?? "")?.price;
    if (!stored.has(name) && price && (price.input > 0 || price.output > 0)) fromConfig.push({ id: name, price });
  });
  const prices = new PriceTable([...stored.models, ...fromConfig]);
  let embedder;
  const featureSpec = (artifact.features as { spec?: { embedder?: unknown } }).spec;
  if (featureSpec?.embedder) {
    const { createEmbedder, embedderSpecSchema } = await import("../features/create-embedder.js");
    const cacheDir = settings.embeddingCacheDir ? path.resolve(context.configDir, settings.embeddingCacheDir) : undefined;
    embedder = await createEmbedder(embedderSpecSchema.parse(featureSpec.embedder), {
      models: context.embeddingModels,
      baseDir: path.dirname(file),
      ...(cacheDir ? { cacheDir } : {}),
    });
  }
  let predictor;
  try {
    predictor = loadPredictor(artifact, embedder);
  } catch (error) {
    throw new RouterSettingsError("settings.artifact", `${settings.artifact}: ${(error as Error).message}`);
  }
  const policy = choosePolicy(artifact, settings, predictor.common.meanScores, prices);
  const router: Router = {
    id: config.id,
    kind: config.kind,
    targets: [...new Set([...targets, ...config.fallbacks])],
    decide: (request) => {
      const decideWith = (prediction: QualityPrediction): RouteDecision => {
        const costs = estimateCosts(
          artifact.models,
          requestFeatureText(request).shape.totalChars,
          predictor.common.meanOutputChars,
          prices,
        );
        const choice = applyRoutingPolicy(artifact.models, prediction.qualities, policy, costs);
        const qualities = Object.fromEntries(artifact.models.map((name, i) => [targets[i] ?? name, prediction.qualities[i] ?? 0]));
        return {
          target: targets[choice.index] ?? targets[0] ?? "",
          score: choice.score,
          reason: `${choice.rule}; ${prediction.explanation}`,
          details: { ...prediction.details, qualities, policy },
        };
      };
      const prediction = predictor.predict(request);
      return prediction instanceof Promise ? prediction.then(decideWith) : decideWith(prediction);
    },
  };
  return router;
};
