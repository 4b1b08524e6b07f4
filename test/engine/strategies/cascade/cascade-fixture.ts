import type { RightsizeConfigInput } from "../../../../src/config/config-schema.js";
import { buildTestEngine, fakeModelConfig, type TestEngine } from "../../build-test-engine.js";
import { ScriptedLanguageModel } from "../../scripted-language-model.js";

export interface CascadeFixture extends TestEngine {
  tiny: ScriptedLanguageModel;
  mid: ScriptedLanguageModel;
  big: ScriptedLanguageModel;
  judge: ScriptedLanguageModel;
}

/** Three tiers (tiny < mid < big by price) and a judge model, behind router `cascade`. */
export async function cascadeFixture(
  settings: Record<string, unknown>,
  edit?: (config: RightsizeConfigInput) => void,
): Promise<CascadeFixture> {
  const tiny = new ScriptedLanguageModel("tiny");
  const mid = new ScriptedLanguageModel("mid");
  const big = new ScriptedLanguageModel("big");
  const judge = new ScriptedLanguageModel("judge", () => ({ text: "GRADE: 9" }));
  const config: RightsizeConfigInput = {
    models: [
      fakeModelConfig("big", 5, 15),
      fakeModelConfig("tiny", 0.1, 0.2),
      fakeModelConfig("mid", 1, 2),
      fakeModelConfig("judge", 0.5, 1),
    ],
    routers: [{ id: "cascade", kind: "cascade", targets: ["big", "tiny", "mid"], settings }],
    retry: { maxAttempts: 1 },
  };
  edit?.(config);
  const engine = await buildTestEngine(config, [tiny, mid, big, judge]);
  return { ...engine, tiny, mid, big, judge };
}

export const ask = (content = "What is 2 + 2?") => ({ model: "cascade", messages: [{ role: "user" as const, content }] });
