import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { UpstreamError } from "../../src/core/errors.js";
import type { BreakerState } from "../../src/engine/circuit-breaker.js";
import { buildTestEngine, callContext, fakeModelConfig } from "../engine/build-test-engine.js";
import { ScriptedLanguageModel } from "../engine/scripted-language-model.js";

/**
 * The primary flaps for 60 s (down 0–15 s, up 15–30 s, down 30–45 s, up 45–60 s), one request
 * every 250 ms, fake clock. Pass criterion: every request is answered; after 3 failures the
 * circuit opens and the primary gets no traffic except ONE probe per 5 s cooldown (half-open);
 * the first probe after it recovers closes the circuit and traffic returns to it.
 */
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout", "setInterval", "clearInterval", "performance"] });
});
afterEach(() => vi.useRealTimers());

it("breaker opens, probes once per cooldown, closes when the primary recovers", async () => {
  const start = Date.now();
  const down = () => {
    const s = (Date.now() - start) / 1000;
    return s < 15 || (s >= 30 && s < 45);
  };
  const primary = new ScriptedLanguageModel("primary", () =>
    down() ? { error: new UpstreamError("flapping", { upstreamStatus: 503 }) } : {},
  );
  const backup = new ScriptedLanguageModel("backup");
  const { engine } = await buildTestEngine(
    {
      models: [fakeModelConfig("primary", 0.1, 0.2), fakeModelConfig("backup", 1, 2)],
      routers: [{ id: "r", kind: "fixed", targets: ["primary"], fallbacks: ["backup"] }],
      retry: { maxAttempts: 1 },
      breaker: { failureThreshold: 3, cooldownMs: 5_000 },
    },
    [primary, backup],
  );
  const trail: { second: number; state: BreakerState; served: string; primaryCalled: boolean }[] = [];
  for (let i = 0; i < 240; i++) {
    const before = primary.calls.length;
    const done = await engine.complete({ model: "r", messages: [{ role: "user", content: "hi" }] }, callContext());
    trail.push({
      second: i / 4,
      state: engine.breakerFor("primary").state,
      served: done.model.id,
      primaryCalled: primary.calls.length > before,
    });
    await vi.advanceTimersByTimeAsync(250);
  }
  // Every request was answered; the primary served only while it was up.
  for (const step of trail) {
    const isDown = step.second < 15 || (step.second >= 30 && step.second < 45);
    if (isDown) expect(step.served).toBe("backup");
  }
  // Down phase 1: failures at 0, 0.25, 0.5 s open the circuit; one probe each 5 s cooldown
  // (5.5 s, 10.5 s), each failing and reopening it.
  const phase = (from: number, to: number) => trail.filter((s) => s.second >= from && s.second < to);
  expect(phase(0, 15).some((s) => s.state === "open")).toBe(true);
  // Up phase 1: the probe at 15 s succeeds, the circuit closes, traffic returns.
  expect(
    phase(0, 15)
      .filter((s) => s.primaryCalled)
      .map((s) => s.second),
  ).toEqual([0, 0.25, 0.5, 5.5, 10.5]);
  // Up phase 1: the next probe (15.5 s) succeeds, the circuit closes, traffic returns at once.
  const probeUp = phase(15, 30).find((s) => s.primaryCalled);
  expect(probeUp?.second).toBe(15.5);
  expect(phase(15, 15.5).every((s) => s.served === "backup")).toBe(true);
  expect(phase(15.5, 30).every((s) => s.state === "closed" && s.served === "primary")).toBe(true);
  // Down phase 2 opens again after 3 failures; the first probe past 45 s closes it.
  expect(
    phase(30, 45)
      .filter((s) => s.primaryCalled)
      .map((s) => s.second),
  ).toEqual([30, 30.25, 30.5, 35.5, 40.5]);
  expect(phase(45.5, 60).every((s) => s.state === "closed" && s.served === "primary")).toBe(true);
  expect(new Set(trail.map((s) => s.state))).toEqual(new Set(["closed", "open"]));
});

it("while open, the half-open state lets exactly one concurrent probe through", async () => {
  const primary = new ScriptedLanguageModel("primary", () => ({ error: new UpstreamError("down", { upstreamStatus: 503 }) }));
  const backup = new ScriptedLanguageModel("backup");
  const { engine } = await buildTestEngine(
    {
      models: [fakeModelConfig("primary", 0.1, 0.2), fakeModelConfig("backup", 1, 2)],
      routers: [{ id: "r", kind: "fixed", targets: ["primary"], fallbacks: ["backup"] }],
      retry: { maxAttempts: 1 },
      breaker: { failureThreshold: 2, cooldownMs: 1_000 },
    },
    [primary, backup],
  );
  const ask = () => engine.complete({ model: "r", messages: [{ role: "user", content: "hi" }] }, callContext());
  await ask();
  await ask();
  expect(engine.breakerFor("primary").state).toBe("open");
  await vi.advanceTimersByTimeAsync(1_000);
  expect(engine.breakerFor("primary").state).toBe("half-open");
  const before = primary.calls.length;
  await Promise.all([ask(), ask(), ask(), ask()]);
  expect(primary.calls.length - before).toBe(1);
  expect(engine.breakerFor("primary").state).toBe("open");
});
