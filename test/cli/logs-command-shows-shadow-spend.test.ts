import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import { makeShadow } from "../storage/feedback-fixtures.js";
import { makeServedRecord, makeTempDir, type TempDir } from "../storage/request-log-fixtures.js";
import { runCli } from "../support/run-cli.js";

describe("rightsize logs with shadow judgments", () => {
  let dir: TempDir;
  let db: string;
  beforeAll(async () => {
    dir = makeTempDir();
    db = dir.file("rs.db");
    const store = await SqliteRequestLogStore.open(db);
    store.append(
      makeServedRecord({ id: "r-1", time: Date.now() - 1000, model: "large", promptTokens: 100, completionTokens: 20, costUsd: 0.015 }),
    );
    store.appendShadow(makeShadow({ id: "sh_1", requestId: "r-1", direction: "down", shadowCostUsd: 0.0001, judgeCostUsd: 0.002 }));
    store.appendShadow(
      makeShadow({
        id: "sh_2",
        requestId: "r-1",
        direction: "up",
        unparseable: true,
        score: null,
        shadowCostUsd: 0.004,
        judgeCostUsd: 0.002,
      }),
    );
    await store.close();
  });
  afterAll(() => dir.remove());
  beforeEach(() => {
    process.exitCode = undefined;
  });

  it("gives shadow spend its own line, apart from the served cost", async () => {
    const { code, out } = await runCli("logs", "--db", db);
    expect(code).toBe(0);
    expect(out).toContain(
      "Shadow evaluation (not served, not in the cost above): 2 judgments (1 down, 1 up; 1 unparseable, 0 failed), spent $0.008100 (shadow answers $0.004100, judge $0.004000).",
    );
  });

  it("reports the shadow summary in --json", async () => {
    const { out } = await runCli("logs", "--db", db, "--json");
    expect(JSON.parse(out).shadow).toMatchObject({ judgments: 2, unparseable: 1, byDirection: { up: 1, down: 1 } });
  });
});
