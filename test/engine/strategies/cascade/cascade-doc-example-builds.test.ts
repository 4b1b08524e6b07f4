import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../../../../src/config/load-config.js";
import { createRouter } from "../../../../src/engine/strategies/create-router.js";
import { isCascadeRouter } from "../../../../src/engine/strategies/cascade/cascade-router.js";
import { fakeModelConfig } from "../../build-test-engine.js";

/** The YAML example in docs/cascade.md is a valid cascade router (so the doc cannot drift). */
it("the docs/cascade.md example builds a cascade router with the documented tiers", async () => {
  const doc = readFileSync(path.resolve("docs/cascade.md"), "utf8");
  const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!yaml) throw new Error("no yaml block in docs/cascade.md");
  const { routers } = parse(yaml) as { routers: unknown[] };
  const config = parseConfig({
    models: [
      fakeModelConfig("qwen-local", 0, 0),
      fakeModelConfig("gpt-4o-mini", 0.15, 0.6),
      fakeModelConfig("gpt-4o", 2.5, 10),
      fakeModelConfig("claude-sonnet", 3, 15),
    ],
    routers,
  });
  const router = await createRouter(config.routers[0]!, { models: config.models, configDir: "." });
  expect(isCascadeRouter(router) && router.tiers).toEqual(["qwen-local", "gpt-4o-mini", "gpt-4o"]);
});
