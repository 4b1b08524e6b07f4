import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelFileError } from "../../../src/providers/llama-cpp/model-file-error.js";
import type { LlamaCppModel } from "../../../src/providers/llama-cpp/llama-cpp-model.js";
import { writeLoraAdapter } from "./support/lora-adapter.js";
import { callOptions, storiesModel, storiesPath, storyRequest } from "./support/stories-model.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "rightsize-lora-"));
const adapter = path.join(dir, "stories-lora.gguf");
const opened: LlamaCppModel[] = [];
let baseText: string;

async function open(...args: Parameters<typeof storiesModel>): Promise<LlamaCppModel> {
  const model = await storiesModel(...args);
  opened.push(model);
  return model;
}

async function greedy(model: LlamaCppModel): Promise<string> {
  const answer = await model.generate(storyRequest(), callOptions());
  return answer.choices[0]?.message.content ?? "";
}

beforeAll(async () => {
  await writeLoraAdapter(adapter);
  baseText = await greedy(await open({ id: "small" }));
});
afterAll(async () => {
  await Promise.all(opened.map((model) => model.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe("a llama-cpp model with a LoRA adapter", () => {
  it("loads the adapter and answers the same prompt differently from the base model (greedy)", async () => {
    expect(baseText).toMatch(/there was/);
    const model = await open({ id: "small-lora", lora: [{ path: adapter, scale: 1 }] });
    const adapted = await greedy(model);
    expect(adapted.length).toBeGreaterThan(0);
    expect(adapted).not.toBe(baseText);
    expect(model.upstreamModel).toBe("stories260K.gguf+stories-lora.gguf");
  });

  it("gives the base model's output at scale 0", async () => {
    const model = await open({ id: "small-lora-off", lora: [{ path: adapter, scale: 0 }] });
    expect(await greedy(model)).toBe(baseText);
  });

  it("keeps two models on one GGUF with and without the adapter apart when both answer at once", async () => {
    const base = await open({ id: "small-2" });
    const adapted = await open({ id: "small-lora-2", lora: [{ path: adapter, scale: 1 }] });
    const alone = await greedy(adapted);
    const [baseAnswer, adaptedAnswer] = await Promise.all([greedy(base), greedy(adapted)]);
    expect(baseAnswer).toBe(baseText);
    expect(adaptedAnswer).toBe(alone);
    expect(adaptedAnswer).not.toBe(baseText);
  });

  it("shares one GGUF's weights between the base model and the adapter model, freed when the last one unloads", async () => {
    // A copy of the GGUF that no other test of this file holds.
    const copy = path.join(dir, "stories-copy.gguf");
    copyFileSync(storiesPath, copy);
    const base = await open({ id: "small-3", model: copy });
    const adapted = await open({ id: "small-lora-3", model: copy, lora: [{ path: adapter, scale: 1 }] });
    const [baseLoaded, adaptedLoaded] = await Promise.all([base.host.load(), adapted.host.load()]);
    expect(adaptedLoaded.model).toBe(baseLoaded.model);
    expect(adaptedLoaded.context).not.toBe(baseLoaded.context);
    await base.close();
    expect(adaptedLoaded.model.disposed).toBe(false);
    expect(await greedy(adapted)).not.toBe(baseText);
    await adapted.close();
    expect(adaptedLoaded.model.disposed).toBe(true);
    expect(await greedy(base)).toBe(baseText);
  });

  it("names a missing adapter file in a ModelFileError (503) on first use", async () => {
    const missing = path.join(dir, "missing-lora.gguf");
    const model = await open({ id: "small-missing", lora: [{ path: missing, scale: 1 }] });
    const error = await model.generate(storyRequest(), callOptions()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).message).toContain(missing);
    expect((error as ModelFileError).message).toMatch(/LoRA adapter file .* does not exist/);
    expect((error as ModelFileError).status).toBe(503);
  });

  it("refuses an adapter whose shapes do not fit the base model, naming it", async () => {
    const wrong = await writeLoraAdapter(path.join(dir, "wrong-shape.gguf"), { skewOutputs: 3 });
    const model = await open({ id: "small-wrong", lora: [{ path: wrong, scale: 1 }] });
    const error = await model.generate(storyRequest(), callOptions()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).message).toContain(wrong);
    expect((error as ModelFileError).message).toMatch(/could not apply the LoRA adapter/);
  });
});
