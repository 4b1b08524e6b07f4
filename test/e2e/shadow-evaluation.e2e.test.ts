import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { openRequestLogReader } from "../../src/storage/open-request-log-reader.js";
import { runCli } from "../support/run-cli.js";
import { startShadowGateway, type ShadowTestGateway } from "../support/start-shadow-gateway.js";

/** Sums a Prometheus counter's samples whose labels include every given label. */
function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.split(" ").at(-1));
  }
  return sum;
}

const answerSchema = {
  type: "json_schema" as const,
  json_schema: {
    name: "answer",
    schema: { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false },
  },
};

describe("shadow evaluation through the gateway (real port, real SQLite, official client)", () => {
  let t: ShadowTestGateway;
  const served = new Map<string, { id: string; content: string | null }>();

  beforeAll(async () => {
    t = await startShadowGateway();
    const ask = async (
      name: string,
      content: string,
      extra: { stream?: boolean; json?: boolean; optOut?: boolean; private?: boolean } = {},
    ) => {
      const client = extra.private ? t.privateClient : t.client;
      const headers = extra.optOut ? { "x-rightsize-shadow": "off" } : undefined;
      const messages = [{ role: "user" as const, content }];
      if (extra.stream) {
        const { data: stream, response } = await client.chat.completions
          .create({ model: "rightsize/auto", messages, stream: true }, { headers })
          .withResponse();
        let text = "";
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
        served.set(name, { id: response.headers.get("x-request-id") ?? "", content: text });
        return;
      }
      const { data, response } = await client.chat.completions
        .create({ model: "rightsize/auto", messages, ...(extra.json ? { response_format: answerSchema } : {}) }, { headers })
        .withResponse();
      served.set(name, { id: response.headers.get("x-request-id") ?? "", content: data.choices[0]?.message.content ?? null });
    };
    await ask("large A", "hard question [family:A]");
    await ask("large C", "hard question [family:C]");
    await ask("small C", "easy question [family:C]");
    await ask("small B stream", "easy question [family:B]", { stream: true });
    await ask("large U", "hard question [family:U]");
    await ask("json large C", "hard question [family:C]", { json: true });
    await ask("opted out by header", "hard question [family:A]", { optOut: true });
    await ask("opted out by key", "hard question [family:A]", { private: true });
  });
  afterAll(async () => t?.close());

  const row = async (name: string) => (await t.shadowRows()).filter((r) => r.requestId === served.get(name)?.id);

  it("serves every answer unchanged, as the routed model wrote it", () => {
    expect(served.get("large A")?.content).toBe("GOOD answer (family A) from sim-large");
    expect(served.get("small C")?.content).toBe("BAD answer (family C) from sim-small");
    expect(served.get("small B stream")?.content).toBe("GOOD answer (family B) from sim-small");
    expect(served.get("json large C")?.content).toBe('{"answer":"GOOD answer (family C) from sim-large"}');
  });

  it("asks the small model when the large one served (down) and the judge finds where it is enough", async () => {
    expect(await row("large A")).toMatchObject([
      {
        direction: "down",
        servedModel: "large",
        shadowModel: "small",
        judgeKind: "pairwise",
        judgeModel: "judge",
        score: 0.5,
        unparseable: false,
      },
    ]);
    expect(await row("large C")).toMatchObject([{ direction: "down", shadowModel: "small", score: 0, servedScore: 1 }]);
    const [a] = await row("large A");
    expect(a?.verdict).toBe("served-first: VERDICT: TIE\nshadow-first: VERDICT: TIE");
    expect(a?.shadowAnswer).toBe("GOOD answer (family A) from sim-small");
    expect(a?.shadowCostUsd).toBeGreaterThan(0);
    expect(a?.judgeCostUsd).toBeGreaterThan(0);
  });

  it("asks the large model when the small one served (up), streams included", async () => {
    expect(await row("small C")).toMatchObject([{ direction: "up", servedModel: "small", shadowModel: "large", score: 1 }]);
    expect(await row("small B stream")).toMatchObject([{ direction: "up", shadowModel: "large", score: 0.5 }]);
  });

  it("records an unparseable verdict with the judge's raw words and no score", async () => {
    const [u] = await row("large U");
    expect(u).toMatchObject({ unparseable: true, score: null, servedScore: null, error: null });
    expect(u?.verdict).toContain("Both answers have merit");
  });

  it("scores a json_schema request by validity, without the judge", async () => {
    const [j] = await row("json large C");
    expect(j).toMatchObject({ judgeKind: "json_schema", judgeModel: null, score: 0, servedScore: 1, judgeCostUsd: 0 });
    expect(j?.verdict).toMatch(/^served-valid: shadow: not JSON/);
    expect(j?.error).toBeNull();
    const judgeCalls = t.sim.requests.filter((r) => r.model === "sim-judge");
    expect(judgeCalls.some((r) => JSON.stringify(r.body).includes("json_schema"))).toBe(false);
  });

  it("honours the opt-out header and the opted-out key", async () => {
    expect(served.get("opted out by header")?.id).toMatch(/^req_/);
    expect(await row("opted out by header")).toEqual([]);
    expect(await row("opted out by key")).toEqual([]);
  });

  it("writes the judgments to the SQLite file, where a reader finds them with their spend", async () => {
    const written = await t.shadowRows();
    const reader = await openRequestLogReader({ kind: "sqlite", file: t.dbFile });
    try {
      expect((await reader.listShadow()).map((r) => r.id).sort()).toEqual(written.map((r) => r.id).sort());
      const summary = await reader.shadowSummary();
      expect(summary).toMatchObject({ judgments: 6, unparseable: 1, failed: 0, byDirection: { up: 2, down: 4 } });
      expect(summary.costUsd).toBeCloseTo(
        written.reduce((sum, r) => sum + r.shadowCostUsd + r.judgeCostUsd, 0),
        12,
      );
    } finally {
      await reader.close();
    }
  });

  it("turns the judgments into outcome rows that say where the small model is enough", async () => {
    await t.shadowRows();
    const out = path.join(path.dirname(t.dbFile), "outcomes.jsonl");
    const { code, err } = await runCli("export", "outcomes", "--db", t.dbFile, "--out", out, "--min-models", "2");
    expect({ code, err: err.replace(/exported[^\n]*\n?/, "").trim() }).toMatchObject({ code: 0 });
    const rows = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { prompt: string; outcomes: Record<string, { score: number }> });
    const scores = (prompt: string) => {
      const found = rows.find((r) => r.prompt.includes(prompt));
      return found && Object.fromEntries(Object.entries(found.outcomes).map(([model, o]) => [model, o.score]));
    };
    expect(scores("hard question [family:A]")).toEqual({ large: 0.5, small: 0.5 });
    expect(scores("easy question [family:C]")).toEqual({ large: 1, small: 0 });
    expect(scores("hard question [family:U]")).toBeUndefined();
  });

  it("never asks a model the router could not have chosen", () => {
    expect(t.sim.requests.some((r) => r.model === "sim-tiny")).toBe(false);
  });

  it("logs and counts only the served requests; shadow spend is its own metric", async () => {
    await t.shadowRows();
    await t.gateway.gateway.store.flush();
    expect(await t.gateway.gateway.store.count()).toBe(served.size);
    const metrics = await t.metrics();
    expect(metricSum(metrics, "rightsize_requests_total")).toBe(served.size);
    expect(metricSum(metrics, "rightsize_shadow_jobs_total", { outcome: "judged" })).toBe(5);
    expect(metricSum(metrics, "rightsize_shadow_jobs_total", { outcome: "unparseable" })).toBe(1);
    expect(metricSum(metrics, "rightsize_shadow_cost_usd_total", { kind: "judge" })).toBeGreaterThan(0);
    expect(metricSum(metrics, "rightsize_shadow_cost_usd_total", { kind: "shadow" })).toBeGreaterThan(0);
    // The served cost metric counts served attempts only: the large model's shadow answers are not in it.
    const largeServed = (await t.gateway.gateway.store.list()).filter((r) => r.model === "large").reduce((s, r) => s + r.costUsd, 0);
    expect(metricSum(metrics, "rightsize_cost_usd_total", { model: "large" })).toBeCloseTo(largeServed, 12);
  });
});

describe("shadow evaluation within its budget and under load", () => {
  it("stops at the daily budget", async () => {
    // One job (small's shadow answer plus two judge calls) costs ≈ 0.0003 USD here.
    const t = await startShadowGateway({ edit: (c) => void (c.shadow && (c.shadow.budgetUsdPerDay = 0.001)) });
    try {
      for (let i = 0; i < 8; i++) {
        await t.client.chat.completions.create({
          model: "rightsize/auto",
          messages: [{ role: "user", content: `hard question ${i} [family:A]` }],
        });
        await t.gateway.gateway.shadow?.whenIdle();
      }
      const rows = await t.shadowRows();
      const spent = rows.reduce((s, r) => s + r.shadowCostUsd + r.judgeCostUsd, 0);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThan(8);
      expect(spent).toBeLessThanOrEqual(0.001);
      expect(metricSum(await t.metrics(), "rightsize_shadow_jobs_total", { outcome: "over_budget" })).toBe(8 - rows.length);
    } finally {
      await t.close();
    }
  });

  it("sheds shadow jobs under overload while every served request is answered unchanged and first", async () => {
    const t = await startShadowGateway({
      script: { judgeLatencyMs: 200 },
      edit: (c) => {
        if (c.shadow) Object.assign(c.shadow, { concurrency: 1, queueSize: 2, busyInFlight: 8 });
      },
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          t.client.chat.completions.create({
            model: "rightsize/auto",
            messages: [{ role: "user", content: `hard question ${i} [family:A]` }],
          }),
        ),
      );
      // Every client has its answer while the shadow still works through its short queue.
      expect(answers.every((a) => a.choices[0]?.message.content === "GOOD answer (family A) from sim-large")).toBe(true);
      const pending = t.gateway.gateway.shadow?.pending;
      expect((pending?.running ?? 0) + (pending?.waiting ?? 0)).toBeGreaterThan(0);
      const rows = await t.shadowRows();
      const metrics = await t.metrics();
      const shed = metricSum(metrics, "rightsize_shadow_shed_total");
      expect(shed).toBeGreaterThan(0);
      expect(rows.length + shed).toBe(24);
      expect(metricSum(metrics, "rightsize_requests_total", { status: "200" })).toBe(24);
    } finally {
      await t.close();
    }
  });

  it("records a failing shadow model's error, and its failures never open the served model's circuit", async () => {
    const t = await startShadowGateway({
      script: { failsAt: { "sim-small": ["F"] } },
      edit: (c) => {
        c.breaker = { failureThreshold: 2, cooldownMs: 60_000 };
      },
    });
    try {
      for (let i = 0; i < 3; i++) {
        const answer = await t.client.chat.completions.create({
          model: "rightsize/auto",
          messages: [{ role: "user", content: `hard question ${i} [family:F]` }],
        });
        expect(answer.choices[0]?.message.content).toBe("GOOD answer (family F) from sim-large");
        await t.gateway.gateway.shadow?.whenIdle();
      }
      const rows = await t.shadowRows();
      expect(rows.map((r) => r.error?.replace(/:.*/, ""))).toEqual([
        "shadow call to small failed",
        "shadow call to small failed",
        "shadow call to small failed",
      ]);
      expect(rows.every((r) => r.score === null && !r.unparseable)).toBe(true);
      // The shadow's own breaker opened after two failures: the third job did not reach the upstream.
      expect(t.sim.requests.filter((r) => r.model === "sim-small")).toHaveLength(2);
      // Served traffic still reaches the small model: its circuit is the served engine's, untouched.
      const { data, response } = await t.client.chat.completions
        .create({ model: "rightsize/auto", messages: [{ role: "user", content: "easy question [family:A]" }] })
        .withResponse();
      expect(response.headers.get("x-rightsize-model")).toBe("small");
      expect(data.choices[0]?.message.content).toBe("GOOD answer (family A) from sim-small");
      expect(metricSum(await t.metrics(), "rightsize_shadow_jobs_total", { outcome: "failed" })).toBe(3);
    } finally {
      await t.close();
    }
  });

  it("grades the shadow answer 1-10 against the served one in absolute mode, with the configured rubric", async () => {
    const t = await startShadowGateway({
      edit: (c) => {
        if (c.shadow) c.shadow.judge = { model: "judge", mode: "absolute", rubric: "Exact arithmetic only." };
      },
    });
    try {
      await t.client.chat.completions.create({
        model: "rightsize/auto",
        messages: [{ role: "user", content: "hard question [family:A]" }],
      });
      await t.client.chat.completions.create({
        model: "rightsize/auto",
        messages: [{ role: "user", content: "hard question [family:C]" }],
      });
      const rows = await t.shadowRows();
      expect(rows.map((r) => [r.judgeKind, r.score, r.servedScore, r.verdict])).toEqual([
        ["absolute", 0.9, null, "SCORE: 9"],
        ["absolute", 0.2, null, "SCORE: 2"],
      ]);
      const judgeCalls = t.sim.requests.filter((r) => r.model === "sim-judge");
      expect(judgeCalls).toHaveLength(2);
      expect(JSON.stringify(judgeCalls[0]?.body)).toContain("RUBRIC: Exact arithmetic only.");
    } finally {
      await t.close();
    }
  });
});
