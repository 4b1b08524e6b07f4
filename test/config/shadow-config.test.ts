import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import type { RightsizeConfigInput } from "../../src/config/config-schema.js";
import { parseConfig } from "../../src/config/load-config.js";

function config(shadow: unknown): RightsizeConfigInput {
  return {
    models: [
      { id: "small", provider: "openai-compatible", model: "s", baseUrl: "http://127.0.0.1:1/v1", tier: "small" },
      { id: "large", provider: "openai-compatible", model: "l", baseUrl: "http://127.0.0.1:1/v1" },
      { id: "other", provider: "openai-compatible", model: "o", baseUrl: "http://127.0.0.1:1/v1" },
    ],
    routers: [{ id: "auto", kind: "fixed", targets: ["small", "large"] }],
    shadow: shadow as RightsizeConfigInput["shadow"],
  };
}

function problems(input: RightsizeConfigInput): string[] {
  try {
    parseConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe("shadow config", () => {
  it("is off when absent and fills its defaults when present", () => {
    expect(parseConfig(config(undefined)).shadow).toBeUndefined();
    const shadow = parseConfig(config({ routers: { auto: { sample: 0.1 } }, judge: { model: "large" }, budgetUsdPerDay: 2 })).shadow;
    expect(shadow).toMatchObject({
      enabled: true,
      directions: ["down", "up"],
      judge: { model: "large", mode: "pairwise", maxTokens: 32 },
      queueSize: 100,
      concurrency: 2,
      optOutCallers: [],
    });
  });

  it("names an unknown router, an unknown judge and a target the router never chooses", () => {
    expect(
      problems(
        config({
          routers: { nope: { sample: 0.1 }, auto: { sample: 0.5, targets: ["other", "ghost"] } },
          judge: { model: "judge" },
          budgetUsdPerDay: 1,
        }),
      ),
    ).toEqual([
      'shadow.judge.model: unknown model "judge"; configured models: small, large, other',
      'shadow.routers.nope: unknown router "nope"; configured routers: auto',
      'shadow.routers.auto.targets[0]: router "auto" never chooses "other" (it may choose small, large); shadow only asks models the router could have chosen',
      'shadow.routers.auto.targets[1]: unknown model "ghost"; configured models: small, large, other',
    ]);
  });

  it("rejects a sampling share outside [0, 1] and budget shares adding up to more than 1", () => {
    expect(problems(config({ routers: { auto: { sample: 1.5 } }, judge: { model: "large" }, budgetUsdPerDay: 1 }))).toEqual([
      "shadow.routers.auto.sample: Too big: expected number to be <=1",
    ]);
    const twoRouters = config({
      routers: { auto: { sample: 0.1, budgetShare: 0.7 }, auto2: { sample: 0.1, budgetShare: 0.6 } },
      judge: { model: "large" },
      budgetUsdPerDay: 1,
    });
    twoRouters.routers?.push({ id: "auto2", kind: "fixed", targets: ["small"] });
    expect(problems(twoRouters)).toEqual(["shadow.routers: the routers' budgetShare values add up to 1.3, more than 1"]);
  });
});
