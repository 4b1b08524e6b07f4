import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { shadowSchema, type ShadowConfig } from "../../../src/config/shadow-config-schema.js";
import type { ChatRequest } from "../../../src/core/chat-request.js";
import type { FinishedRequest } from "../../../src/engine/engine-observer.js";
import { ShadowBudget } from "../../../src/engine/shadow/shadow-budget.js";
import type { ShadowCall } from "../../../src/engine/shadow/shadow-call.js";
import type { ShadowRecord } from "../../../src/storage/shadow-record.js";
import { ShadowScheduler, type ShadowSchedulerOptions } from "../../../src/engine/shadow/shadow-scheduler.js";
import { PriceTable } from "../../../src/pricing/price-table.js";
import type { Router } from "../../../src/routing/router.js";

const prices = new PriceTable([
  { id: "small", price: { input: 1, output: 1 } },
  { id: "medium", price: { input: 5, output: 5 } },
  { id: "large", price: { input: 10, output: 10 } },
  { id: "outside", price: { input: 0, output: 0 } },
  { id: "judge", price: { input: 1, output: 1 } },
]);
const router: Router = {
  id: "auto",
  kind: "fixed",
  targets: ["small", "medium", "large"],
  decide: () => ({ target: "small", score: 0, reason: "" }),
};

function config(overrides: Record<string, unknown> = {}): ShadowConfig {
  return shadowSchema.parse({ routers: { auto: { sample: 1 } }, judge: { model: "judge" }, budgetUsdPerDay: 100, ...overrides });
}

let served = 0;
function finished(
  model: string,
  overrides: { headers?: Record<string, string>; callerId?: string; content?: string } = {},
): FinishedRequest {
  const request: ChatRequest = { model: "auto", messages: [{ role: "user", content: overrides.content ?? "What is 2 + 2?" }] };
  return {
    request,
    answer: "4",
    headers: overrides.headers ?? {},
    record: {
      id: `req-${++served}`,
      time: Date.now(),
      callerId: overrides.callerId ?? null,
      requestedModel: "auto",
      router: "auto",
      score: 0,
      model,
      reason: "",
      status: 200,
      error: null,
      attempts: [],
      promptTokens: 10,
      completionTokens: 1,
      usageEstimated: false,
      costUsd: 0,
      ttftMs: null,
      latencyMs: 1,
      stream: false,
      finishReason: "stop",
      prompt: null,
      answer: null,
    },
  };
}

/** A call that answers at once; the judge says the shadow answer is as good. */
function recordingCall(cost = 0.001): { call: ShadowCall; models: string[]; release: () => void; hold: () => void } {
  const models: string[] = [];
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  return {
    models,
    hold: () => {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release: () => open?.(),
    call: async (request) => {
      models.push(request.model);
      if (gate && request.model !== "judge") await gate;
      return {
        text: request.model === "judge" ? "VERDICT: TIE" : `answer of ${request.model}`,
        costUsd: cost,
        promptTokens: 10,
        completionTokens: 2,
      };
    },
  };
}

function scheduler(options: Partial<ShadowSchedulerOptions> & { call: ShadowCall }): {
  s: ShadowScheduler;
  results: ShadowRecord[];
  shed: string[];
  outcomes: string[];
} {
  const results: ShadowRecord[] = [];
  const shed: string[] = [];
  const outcomes: string[] = [];
  const s = new ShadowScheduler({
    shadow: config(),
    routers: new Map([["auto", router]]),
    prices,
    sink: (r) => results.push(r),
    load: () => 0,
    logContent: true,
    observer: { onShadowShed: (_r, reason) => shed.push(reason), onShadowJob: (_r, outcome) => outcomes.push(outcome) },
    ...options,
  });
  return { s, results, shed, outcomes };
}

describe("ShadowScheduler", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "Date"] });
    vi.setSystemTime(new Date("2026-12-02T10:00:00Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("asks the cheapest cheaper model (down) and the dearest dearer one (up), never one the router cannot choose", async () => {
    const fake = recordingCall();
    const { s, results } = scheduler({ call: fake.call });
    s.offer(finished("medium"));
    await vi.runAllTimersAsync();
    await s.whenIdle();
    expect(results.map((r) => [r.direction, r.shadowModel, r.servedModel])).toEqual([
      ["down", "small", "medium"],
      ["up", "large", "medium"],
    ]);
    expect(fake.models).not.toContain("outside");
    expect(results[0]).toMatchObject({
      judgeKind: "pairwise",
      judgeModel: "judge",
      score: 0.5,
      unparseable: false,
      shadowAnswer: "answer of small",
    });
    expect(results[0]?.verdict).toBe("served-first: VERDICT: TIE\nshadow-first: VERDICT: TIE");
    expect(results[0]?.shadowCostUsd).toBeCloseTo(0.001);
    expect(results[0]?.judgeCostUsd).toBeCloseTo(0.002);
  });

  it("samples the configured share of the router's requests and only the configured directions", async () => {
    const fake = recordingCall();
    let draw = 0;
    const draws = [0.05, 0.5, 0.09, 0.95];
    const { s, results } = scheduler({
      call: fake.call,
      shadow: config({ routers: { auto: { sample: 0.1 } }, directions: ["down"] }),
      random: () => draws[draw++ % draws.length] as number,
    });
    for (let i = 0; i < 4; i++) s.offer(finished("large"));
    await vi.runAllTimersAsync();
    await s.whenIdle();
    expect(results.map((r) => r.shadowModel)).toEqual(["small", "small"]);
  });

  it("honours the x-rightsize-shadow: off header and opted-out callers", async () => {
    const fake = recordingCall();
    const { s, results } = scheduler({ call: fake.call, shadow: config({ optOutCallers: ["private-team"] }) });
    s.offer(finished("large", { headers: { "x-rightsize-shadow": "off" } }));
    s.offer(finished("large", { callerId: "private-team" }));
    await vi.runAllTimersAsync();
    expect(fake.models).toEqual([]);
    expect(results).toEqual([]);
  });

  it("runs at most `concurrency` jobs and sheds new ones when the queue is full", async () => {
    const fake = recordingCall();
    fake.hold();
    const { s, shed } = scheduler({ call: fake.call, shadow: config({ concurrency: 1, queueSize: 2, directions: ["down"] }) });
    for (let i = 0; i < 5; i++) s.offer(finished("large"));
    await vi.advanceTimersByTimeAsync(0);
    // Two queued at once (queueSize 2), three shed; then one of the two runs.
    expect(shed).toEqual(["queue_full", "queue_full", "queue_full"]);
    expect(s.pending).toEqual({ waiting: 1, running: 1 });
    fake.release();
    await vi.runAllTimersAsync();
    await s.whenIdle();
    expect(fake.models.filter((m) => m === "small")).toHaveLength(2);
  });

  it("sheds new jobs while the gateway is busy and holds queued ones until it has been quiet for busyQuietMs", async () => {
    const fake = recordingCall();
    let load = 0;
    const { s, shed, results } = scheduler({
      call: fake.call,
      load: () => load,
      shadow: config({ busyInFlight: 3, busyQuietMs: 1_000, directions: ["down"] }),
    });
    load = 1;
    s.offer(finished("large"));
    load = 3;
    s.offer(finished("large"));
    expect(shed).toEqual(["busy"]);
    await vi.advanceTimersByTimeAsync(500);
    expect(fake.models).toEqual([]);
    load = 0;
    // Not busy any more, but busy half a second ago: the job waits for a quiet second.
    await vi.advanceTimersByTimeAsync(400);
    expect(fake.models).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    await s.whenIdle();
    expect(results).toHaveLength(1);
  });

  it("starts a local model's shadow call only while no served request is in flight", async () => {
    const fake = recordingCall();
    let load = 1;
    const { s, results } = scheduler({
      call: fake.call,
      load: () => load,
      localModels: new Set(["small"]),
      shadow: config({ directions: ["down"] }),
    });
    s.offer(finished("large"));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.models).toEqual([]);
    load = 0;
    await vi.advanceTimersByTimeAsync(100);
    await s.whenIdle();
    expect(results.map((r) => r.shadowModel)).toEqual(["small"]);
  });

  it("stops at the day's budget and starts again the next UTC day", async () => {
    const fake = recordingCall(0.4);
    // Each job: shadow 0.4 + two judge calls 0.4 each = 1.2 USD; the estimate is far below that.
    const { s, results, outcomes } = scheduler({
      call: fake.call,
      shadow: config({ budgetUsdPerDay: 2, directions: ["down"], concurrency: 1 }),
    });
    for (let i = 0; i < 3; i++) s.offer(finished("large"));
    await vi.runAllTimersAsync();
    await s.whenIdle();
    expect(results).toHaveLength(2);
    expect(outcomes).toEqual(["judged", "judged", "over_budget"]);
    expect(s.spentToday()).toBeCloseTo(2.4);
    vi.setSystemTime(new Date("2026-12-03T00:00:01Z"));
    s.offer(finished("large"));
    await vi.runAllTimersAsync();
    await s.whenIdle();
    expect(results).toHaveLength(3);
  });

  it("records a failed shadow call with its error and no score", async () => {
    const { s, results, outcomes } = scheduler({
      call: async () => {
        throw new Error("upstream 500");
      },
      shadow: config({ directions: ["down"] }),
    });
    s.offer(finished("large"));
    await vi.runAllTimersAsync();
    await s.whenIdle();
    expect(outcomes).toEqual(["failed"]);
    expect(results[0]).toMatchObject({ score: null, unparseable: false, error: "shadow call to small failed: upstream 500" });
  });

  it("keeps a shadow problem away from the served path: offer never throws, a failing sink counts as failed", async () => {
    const fake = recordingCall();
    const broken = new Map([["auto", router]]);
    broken.get = () => {
      throw new Error("router table broken");
    };
    const first = scheduler({ call: fake.call, routers: broken });
    expect(() => first.s.offer(finished("large"))).not.toThrow();
    const second = scheduler({
      call: fake.call,
      sink: () => {
        throw new Error("disk full");
      },
      shadow: config({ directions: ["down"] }),
    });
    second.s.offer(finished("large"));
    await vi.runAllTimersAsync();
    await second.s.whenIdle();
    expect(second.outcomes).toEqual(["failed"]);
  });

  it("close drops the queue and aborts running jobs without recording them", async () => {
    const fake = recordingCall();
    fake.hold();
    const seen: AbortSignal[] = [];
    const { s, results, shed } = scheduler({
      call: (_request, signal) => {
        seen.push(signal);
        return new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
      },
      shadow: config({ concurrency: 1, directions: ["down"] }),
    });
    s.offer(finished("large"));
    s.offer(finished("large"));
    await vi.advanceTimersByTimeAsync(0);
    await s.close();
    expect(seen[0]?.aborted).toBe(true);
    expect(shed).toEqual(["shutdown"]);
    expect(results).toEqual([]);
  });
});

describe("ShadowBudget", () => {
  it("gives each router with a share its part of the day and the others the rest together", () => {
    const budget = new ShadowBudget(
      10,
      new Map([
        ["a", 0.6],
        ["b", undefined],
        ["c", undefined],
      ]),
      () => 0,
    );
    expect(budget.capOf("a")).toBeCloseTo(6);
    expect(budget.capOf("b")).toBeCloseTo(4);
    expect(budget.reserve("a", 6)).toBe(true);
    expect(budget.reserve("a", 0.01)).toBe(false);
    expect(budget.reserve("b", 3)).toBe(true);
    expect(budget.reserve("c", 1.5)).toBe(false);
    expect(budget.reserve("c", 1)).toBe(true);
    budget.settle("c", 1, 0.5, budget.currentDay());
    expect(budget.spentToday("c")).toBeCloseTo(0.5);
    expect(budget.spentToday()).toBeCloseTo(9.5);
  });
});
