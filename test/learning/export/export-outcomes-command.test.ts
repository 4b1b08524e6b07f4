import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOutcomeData } from "../../../src/routing/learned/load-outcome-data.js";
import { SqliteRequestLogStore } from "../../../src/storage/sqlite/sqlite-request-log-store.js";
import { makeTempDir, type TempDir } from "../../storage/request-log-fixtures.js";
import { runCli } from "../../support/run-cli.js";
import { familyOf, promptOf, writeLearningLog } from "./learning-log.js";

describe("rightsize export outcomes", () => {
  let dir: TempDir;
  let db: string;
  let prices: string;
  beforeAll(async () => {
    dir = makeTempDir();
    db = dir.file("rs.db");
    const store = await SqliteRequestLogStore.open(db);
    await writeLearningLog(store, 160);
    await store.close();
    prices = dir.file("prices.json");
    writeFileSync(prices, JSON.stringify({ small: { input: 0.1, output: 0.2 }, large: { input: 5, output: 15 } }));
  });
  afterAll(() => {
    process.exitCode = undefined;
    dir.remove();
  });

  it("writes outcome rows the outcome loader reads unchanged, scored from feedback and shadow judgments", async () => {
    const out = dir.file("outcomes.jsonl");
    const result = await runCli("export", "outcomes", "--db", db, "--out", out);
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/exported 160 outcome rows from 160 requests/);
    expect(result.err).toMatch(/feedback:user 160/);
    expect(result.err).toMatch(/unparseable judgments 15/);
    const lines = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const first = lines[0];
    expect(first).toMatchObject({
      id: "req-00000",
      prompt: promptOf(0),
      category: "rightsize/auto/team=search",
      source: "rightsize-log",
      served_model: "large",
      outcomes: { large: { score: 1, evidence: "feedback:user", n: 1, output_chars: "large answer to 0".length } },
      provenance: { feedback: 1, shadow: 1, unparseable: 1 },
    });
    expect(first.outcomes.small).toBeUndefined(); // its judgment was unparseable: no guess
    const chatDown = lines.find((row) => row.id === "req-00001");
    expect(chatDown.outcomes).toMatchObject({
      large: { score: 1 },
      small: { score: 0.9, evidence: "shadow", output_chars: "small shadow answer 1".length },
    });
    expect(chatDown.category).toBe("rightsize/auto");
    const { rows, report } = await loadOutcomeData(out, { requireModels: ["small", "large"] });
    expect(rows.length).toBe(160 - 15);
    expect(report.rows).toBe(rows.length);
    expect(report.invalid).toEqual([]);
    expect(report.skipped.missingModels).toBe(15);
    for (const row of rows) {
      const i = Number(row.id.slice(4));
      // served small: its user feedback (1 or 0); shadowed small: the judge's score (0.9 or 0.1)
      expect(familyOf(i) === "chat" ? [1, 0.9] : [0, 0.1]).toContain(row.outcomes.small?.score);
    }
  });

  it("feeds rightsize train and rightsize eval as they are", async () => {
    const out = dir.file("for-train.jsonl");
    expect((await runCli("export", "outcomes", "--db", db, "--out", out, "--min-models", "2")).code).toBe(0);
    const artifact = dir.file("router.json");
    const train = await runCli("train", "--data", out, "--models", "small,large", "--router", "knn", "--out", artifact, "--prices", prices);
    expect(train.code, train.err).toBe(0);
    expect(train.out).toMatch(/held-out validation/);
    expect(JSON.parse(readFileSync(artifact, "utf8")).kind).toBe("knn");
    const evaluation = await runCli(
      "eval",
      "--data",
      out,
      "--models",
      "small,large",
      "--routers",
      "knn",
      "--folds",
      "2",
      "--prices",
      prices,
    );
    expect(evaluation.code, evaluation.err).toBe(0);
    expect(evaluation.out).toMatch(/^knn\s+-?\d\.\d{3}/m);
  });

  it("honours --since and --metric", async () => {
    const out = dir.file("recent.jsonl");
    const result = await runCli("export", "outcomes", "--db", db, "--out", out, "--since", "2026-11-20T09:02:00Z", "--metric", "helpful");
    expect(result.code).toBe(0);
    // 2 minutes in: requests 120…159; no "helpful" feedback, so only shadow judgments score (the shadow model)
    const lines = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines[0].id).toBe("req-00120");
    expect(lines.every((row) => Object.values(row.outcomes).every((o) => (o as { evidence: string }).evidence === "shadow"))).toBe(true);
  });
});
