import { Registry } from "prom-client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseGatewayConfig } from "../../src/server/load-gateway-config.js";
import type { RetrainJob, RetrainJobResult } from "../../src/server/retrain/retrain-job.js";
import { durationMs, type RetrainRun, RetrainSchedule } from "../../src/server/retrain/retrain-schedule.js";
import type { RouterReloader } from "../../src/server/router-reloader.js";

afterEach(() => vi.useRealTimers());

function schedule(labels: { feedback: number; judgments: number }, run: (job: RetrainJob) => Promise<RetrainJobResult>) {
  const config = parseGatewayConfig(
    {
      models: ["small", "large"].map((id) => ({ id, provider: "openai-compatible", model: id, baseUrl: "http://127.0.0.1:1/v1" })),
      routers: [{ id: "learned", kind: "learned", settings: { artifact: "router.json" } }],
      storage: { path: "log.db" },
      retrain: { routers: { learned: { every: "10m", minNewLabels: 20 } } },
    },
    { env: {} },
  );
  const reloads: string[] = [];
  const runs: RetrainRun[] = [];
  const store = {
    flush: async () => undefined,
    feedbackSummary: async () => ({ records: labels.feedback, current: labels.feedback, metrics: [] }),
    shadowSummary: async () => ({ judgments: labels.judgments, unparseable: 1, failed: 1 }) as never,
  };
  const reloader = {
    reload: async (id: string) => {
      reloads.push(id);
      return { outcome: "swapped" };
    },
  } as unknown as RouterReloader;
  const retrain = new RetrainSchedule({
    config,
    configDir: "/srv/rightsize",
    store,
    reloader,
    registry: new Registry(),
    run,
    onRun: (r) => runs.push(r),
  });
  return { retrain, reloads, runs };
}

describe("retrain schedule", () => {
  it("reads durations", () => {
    expect(durationMs("30s")).toBe(30_000);
    expect(durationMs("6h")).toBe(21_600_000);
    expect(() => durationMs("soon")).toThrow(/not a duration/);
  });

  it("runs every `every`, skipping while fewer than minNewLabels arrived, and reloads a promoted router", async () => {
    vi.useFakeTimers();
    const labels = { feedback: 5, judgments: 10 };
    const jobs: RetrainJob[] = [];
    const { retrain, reloads, runs } = schedule(labels, async (job) => {
      jobs.push(job);
      return { ok: true, promoted: true, version: "v2", parent: "v1", reason: "not worse", rows: 100, holdout: 25 };
    });
    retrain.start();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs.map((r) => r.outcome)).toEqual(["skipped"]);
    expect(runs[0]?.detail).toBe("13 new labels < minNewLabels 20"); // 5 feedback + 10 judgments − 1 unparseable − 1 failed
    labels.feedback = 15;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs.map((r) => r.outcome)).toEqual(["skipped", "promoted"]);
    expect(reloads).toEqual(["learned"]);
    expect(jobs[0]).toMatchObject({ router: "learned", artifact: "/srv/rightsize/router.json", kind: "auto", margin: 0.01 });
    expect(jobs[0]?.location).toEqual({ kind: "sqlite", file: "/srv/rightsize/log.db" });
    retrain.close();
  });

  it("says busy instead of starting a second run of the same router, and reports a failed job", async () => {
    let finish: ((result: RetrainJobResult) => void) | undefined;
    const { retrain } = schedule({ feedback: 50, judgments: 0 }, () => new Promise((resolve) => (finish = resolve)));
    const first = retrain.runNow("learned", "admin");
    await vi.waitFor(() => expect(finish).toBeTypeOf("function"));
    expect((await retrain.runNow("learned", "admin")).outcome).toBe("busy");
    finish?.({ ok: false, error: "only 3 held-out rows" });
    expect(await first).toMatchObject({ outcome: "failed", detail: "only 3 held-out rows" });
  });
});
