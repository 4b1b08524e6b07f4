import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import { makeFeedback, makeShadow } from "../storage/feedback-fixtures.js";
import { makeRecord, makeTempDir, type TempDir } from "../storage/request-log-fixtures.js";
import { runCli } from "../support/run-cli.js";

describe("rightsize logs with feedback and shadow judgments", () => {
  let dir: TempDir;
  let db: string;
  let plain: string;
  beforeAll(async () => {
    dir = makeTempDir();
    db = dir.file("rs.db");
    const now = Date.now();
    const store = await SqliteRequestLogStore.open(db);
    store.append(makeRecord({ id: "r-1", time: now - 2000, episodeId: "ep-1" }));
    store.append(makeRecord({ id: "r-2", time: now - 1000 }));
    store.appendShadow(makeShadow({ id: "s-1", requestId: "r-1", time: now, shadowCostUsd: 0.001, judgeCostUsd: 0.002 }));
    store.appendShadow(makeShadow({ id: "s-2", requestId: "r-2", time: now, unparseable: true, score: null, direction: "up" }));
    await store.appendFeedback([
      makeFeedback({ id: "f-1", requestId: "r-1", metric: "helpful", value: false, time: now }),
      makeFeedback({ id: "f-2", requestId: "r-1", metric: "helpful", value: true, time: now + 1, demonstration: "better" }),
      makeFeedback({ id: "f-3", requestId: null, episodeId: "ep-1", metric: "task_done", value: "yes", source: "reviewer", time: now }),
    ]);
    await store.close();
    plain = dir.file("plain.db");
    const other = await SqliteRequestLogStore.open(plain);
    other.append(makeRecord({ id: "r-9", time: now }));
    await other.close();
  });
  afterAll(() => dir.remove());

  it("shows each request's current feedback, a summary per metric and the shadow spend on its own line", async () => {
    const { code, out } = await runCli("logs", "--db", db);
    expect(code).toBe(0);
    const row = out.split("\n").find((line) => line.includes("r-1"));
    expect(row).toContain("helpful=yes+demo ep:task_done=yes");
    expect(out).toMatch(/Feedback: 2 current values \(1 superseded, kept as history\)/);
    expect(out).toMatch(/helpful\s+1\s+1\.00\s+-\s+user 1\s+1/);
    expect(out).toMatch(/task_done\s+1\s+-\s+yes 1\s+reviewer 1\s+0/);
    expect(out).toMatch(
      /Shadow evaluation \(not served, not in the costs above\): 2 judgments \(1 down, 1 up; 1 unparseable, 0 failed\), spend \$0\.0051\d* = shadow \$0\.0011\d* \+ judge \$0\.0040*/,
    );
  });

  it("prints feedback and shadow summaries with --json", async () => {
    const parsed = JSON.parse((await runCli("logs", "--db", db, "--json")).out) as {
      feedback: { summary: { current: number }; byRequest: Record<string, { id: string }[]> };
      shadow: { judgments: number };
    };
    expect(parsed.feedback.summary.current).toBe(2);
    expect(parsed.feedback.byRequest["r-1"]?.map((f) => f.id)).toEqual(["f-2", "f-3"]);
    expect(parsed.shadow.judgments).toBe(2);
  });

  it("adds no feedback column or section to a log without any", async () => {
    const { out } = await runCli("logs", "--db", plain);
    expect(out).not.toContain("feedback");
    expect(out).not.toContain("Feedback:");
    expect(out).not.toContain("Shadow evaluation");
  });
});
