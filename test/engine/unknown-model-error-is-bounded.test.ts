import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/core/errors.js";
import { buildTestEngine, callContext, fakeModelConfig } from "./build-test-engine.js";
import { ScriptedLanguageModel } from "./scripted-language-model.js";

/**
 * An unknown model name is the client's input: the error echoes a short prefix of it and a
 * bounded list of configured ids, so a 100 KB name cannot make a 100 KB error.
 */
describe("an unknown model name", () => {
  const ids = Array.from({ length: 25 }, (_, i) => `model-${String(i).padStart(2, "0")}`);

  async function errorFor(model: string): Promise<NotFoundError> {
    const { engine } = await buildTestEngine(
      { models: ids.map((id) => fakeModelConfig(id, 1, 1)), routers: [] },
      ids.map((id) => new ScriptedLanguageModel(id)),
    );
    const thrown = await engine.complete({ model, messages: [{ role: "user", content: "hi" }] }, callContext()).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(NotFoundError);
    return thrown as NotFoundError;
  }

  it("a 100 KB name is echoed as its first 64 characters and an ellipsis", async () => {
    const error = await errorFor("x".repeat(100_000));
    expect(error.message).toContain(`"${"x".repeat(64)}…"`);
    expect(error.message.length).toBeLessThan(400);
  });

  it("lists ten configured ids and says how many more there are", async () => {
    const error = await errorFor("nope");
    expect(error.message).toContain('The model "nope" does not exist.');
    expect(error.message).toContain(ids.slice(0, 10).join(", "));
    expect(error.message).not.toContain(ids[10]);
    expect(error.message).toContain("and 15 more");
  });
});
