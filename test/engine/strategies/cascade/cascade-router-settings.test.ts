import { describe, expect, it } from "vitest";
import { createRouter } from "../../../../src/engine/strategies/create-router.js";
import { RouterSettingsError } from "../../../../src/routing/router-registry.js";
import { isCascadeRouter } from "../../../../src/engine/strategies/cascade/cascade-router.js";
import { fakeModelConfig } from "../../build-test-engine.js";
import { parseConfig } from "../../../../src/config/load-config.js";

const models = parseConfig({
  models: [fakeModelConfig("big", 5, 15), fakeModelConfig("tiny", 0.1, 0.2), fakeModelConfig("mid", 1, 2)],
}).models;
const build = (settings: Record<string, unknown>, targets = ["big", "tiny", "mid"]) =>
  createRouter({ id: "c", kind: "cascade", settings, targets, fallbacks: [] }, { models, configDir: "." });

describe("cascade router settings", () => {
  it("orders the targets by price when no tiers are given and decides the cheapest", async () => {
    const router = await build({});
    expect(isCascadeRouter(router) && router.tiers).toEqual(["tiny", "mid", "big"]);
    const decision = await router.decide({ model: "c", messages: [] }, { headers: {} });
    expect(decision.target).toBe("tiny");
    expect(decision.reason).toContain("tiny → mid → big");
  });

  it("keeps explicit tiers in their order", async () => {
    const router = await build({ tiers: ["mid", "big"] });
    expect(isCascadeRouter(router) && router.tiers).toEqual(["mid", "big"]);
  });

  it.each([
    [{ tiers: ["tiny", "nope"] }, "settings.tiers[1]"],
    [{ gate: { kind: "judge", model: "ghost" } }, "settings.gate.model"],
    [{ gate: { kind: "all", gates: [{ kind: "length" }, { kind: "judge", model: "ghost" }] } }, "settings.gate.gates[1].model"],
    [{ gate: { kind: "confidence", minMeanLogprob: 2 } }, "settings.gate.minMeanLogprob"],
    [{ gate: { kind: "telepathy" } }, "settings.gate.kind"],
    [{ budget: { maxCostUsd: -1 } }, "settings.budget.maxCostUsd"],
  ])("rejects %j naming %s", async (settings, path) => {
    const error = await build(settings).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterSettingsError);
    expect((error as RouterSettingsError).path).toBe(path);
  });

  it("accepts nested combined gates", async () => {
    const router = await build({
      gate: {
        kind: "weighted",
        threshold: 0.6,
        gates: [
          { weight: 2, gate: { kind: "confidence", minMeanLogprob: -0.5, earlyTokens: 8 } },
          { weight: 1, gate: { kind: "any", gates: [{ kind: "format", regex: "\\d" }, { kind: "length" }] } },
        ],
      },
    });
    expect(router.kind).toBe("cascade");
  });
});
