import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ModelFileError } from "../../../src/providers/llama-cpp/model-file-error.js";
import { callOptions, storiesModel, storiesPath, storyRequest } from "./support/stories-model.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "rightsize-bad-gguf-"));

async function failureFor(modelPath: string): Promise<ModelFileError> {
  const model = await storiesModel({ model: modelPath });
  const error = await model.generate(storyRequest(), callOptions()).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ModelFileError);
  return error as ModelFileError;
}

describe("bad model files give a clear error and the process lives on", () => {
  it("names a wrong path", async () => {
    const missing = path.join(dir, "missing.gguf");
    const error = await failureFor(missing);
    expect(error.message).toContain(missing);
    expect(error.message).toMatch(/does not exist/);
    expect(error.status).toBe(503);
  });

  it("detects a truncated file", async () => {
    const truncated = path.join(dir, "truncated.gguf");
    writeFileSync(truncated, readFileSync(storiesPath).subarray(0, 600_000));
    const error = await failureFor(truncated);
    expect(error.message).toContain(truncated);
    expect(error.message).toMatch(/truncated/);
  });

  it("detects a file that is not GGUF", async () => {
    const notGguf = path.join(dir, "notes.gguf");
    writeFileSync(notGguf, "this is a text file, not a model\n");
    const error = await failureFor(notGguf);
    expect(error.message).toContain(notGguf);
    expect(error.message).toMatch(/not a GGUF file/);
  });

  it("still serves a good model in the same process afterwards", async () => {
    const model = await storiesModel();
    const result = await model.generate(storyRequest({ max_tokens: 8 }), callOptions());
    expect(result.usage.completion_tokens).toBe(8);
    await model.close();
  });
});
