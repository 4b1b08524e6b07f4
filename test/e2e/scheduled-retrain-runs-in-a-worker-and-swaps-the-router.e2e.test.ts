import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactVersion } from "../../src/routing/artifact-version.js";
import { ADMIN_KEY, type Family, LearningLoop, ROUTER } from "../support/learning-loop.js";

let loop: LearningLoop;

beforeAll(async () => {
  loop = new LearningLoop();
  await loop.start({ retrainEvery: "1h" });
}, 60_000);
afterAll(async () => loop?.close());

function retrainNow(force = false) {
  return fetch(`${loop.gateway.url}/admin/routers/${encodeURIComponent(ROUTER)}/retrain${force ? "?force=true" : ""}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as { outcome: string; detail: string; version?: string },
  }));
}

describe("scheduled retrain", () => {
  it("skips a run while too few new labels arrived", async () => {
    const run = await retrainNow();
    expect(run.status).toBe(200);
    expect(run.body.outcome).toBe("skipped");
    expect(run.body.detail).toMatch(/^0 new labels < minNewLabels 50$/);
  });

  it("retrains in a worker thread while the gateway keeps answering, then swaps in the promoted router", async () => {
    const families: Family[] = Array.from({ length: 200 }, (_, i) => (["A", "B", "C"] as const)[i % 3] ?? "A");
    await loop.traffic(families, { concurrency: 4, feedbackShare: 0.5, seed: 5 });
    await loop.settle();
    let answered = 0;
    let stop = false;
    const pings = (async () => {
      while (!stop) {
        const response = await fetch(`${loop.gateway.url}/healthz`);
        if (response.ok) answered++;
      }
    })();
    const run = await retrainNow();
    stop = true;
    await pings;
    expect(run.body.outcome).toBe("promoted");
    expect(run.body.detail).toMatch(/reload swapped$/);
    // The event loop served other requests while training and calibration ran in the worker.
    expect(answered).toBeGreaterThan(5);
    expect(loop.gateway.gateway.reloader.list()[0]?.version).toBe(await artifactVersion(loop.artifact));
    expect(run.body.version).toBe(await artifactVersion(loop.artifact));
    const metrics = await (await fetch(`${loop.gateway.url}/metrics`)).text();
    expect(metrics).toContain(`rightsize_retrain_runs_total{router="${ROUTER}",outcome="promoted"} 1`);
    expect(metrics).toContain(`rightsize_retrain_runs_total{router="${ROUTER}",outcome="skipped"} 1`);
    expect(metrics).toContain(`rightsize_router_reloads_total{router="${ROUTER}",outcome="swapped",trigger="schedule"} 1`);
    const status = (await (
      await fetch(`${loop.gateway.url}/admin/status`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
    ).json()) as {
      retrains: { outcome: string }[];
    };
    expect(status.retrains.map((r) => r.outcome)).toEqual(["promoted", "skipped"]);
  });

  it("answers 404 for a router without a schedule", async () => {
    const response = await fetch(`${loop.gateway.url}/admin/routers/nope/retrain`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(response.status).toBe(404);
  });
});
