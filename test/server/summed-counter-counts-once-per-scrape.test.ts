import { Registry } from "prom-client";
import { expect, it } from "vitest";
import { SummedCounter } from "../../src/server/summed-counter.js";

it("a summed counter exports every increment once, across scrapes, per label set", async () => {
  const registry = new Registry();
  const counter = new SummedCounter({ name: "t_total", help: "t", labelNames: ["a", "b"], registry });
  counter.inc(["x", "1"]);
  counter.inc(["x", "1"], 2);
  counter.inc(["y", ""]);
  expect(await registry.metrics()).toContain('t_total{a="x",b="1"} 3');
  expect(await registry.metrics()).toContain('t_total{a="x",b="1"} 3');
  counter.inc(["x", "1"], 0.5);
  const text = await registry.metrics();
  expect(text).toContain('t_total{a="x",b="1"} 3.5');
  expect(text).toContain('t_total{a="y",b=""} 1');
});
