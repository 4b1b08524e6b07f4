import { afterEach, describe, expect, it } from "vitest";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import { makeServedRecord, makeTempDir } from "../storage/request-log-fixtures.js";
import { runCli } from "../support/run-cli.js";

afterEach(() => {
  process.exitCode = undefined;
});

describe("rightsize logs per key", () => {
  it("prints a cost table per client key beside the one per model", async () => {
    const db = makeTempDir().file("keys.db");
    const store = await SqliteRequestLogStore.open(db);
    const now = Date.now();
    store.append(
      makeServedRecord({
        id: "a",
        time: now - 3000,
        model: "large",
        promptTokens: 10,
        completionTokens: 5,
        costUsd: 0.02,
        callerId: "key_team",
      }),
    );
    store.append(
      makeServedRecord({
        id: "b",
        time: now - 2000,
        model: "small",
        promptTokens: 100,
        completionTokens: 10,
        costUsd: 0.001,
        callerId: "key_batch",
      }),
    );
    store.append(
      makeServedRecord({
        id: "c",
        time: now - 1000,
        model: "small",
        promptTokens: 100,
        completionTokens: 10,
        costUsd: 0.001,
        callerId: "key_team",
      }),
    );
    await store.close();
    const { code, out } = await runCli("logs", "--db", db);
    expect(code).toBe(0);
    const table = out.slice(out.indexOf("Cost by client key"));
    expect(table).toMatch(/key_team +2 +110 +15 +\$0\.021/);
    expect(table).toMatch(/key_batch +1 +100 +10 +\$0\.001/);
    expect(table.indexOf("key_team")).toBeLessThan(table.indexOf("key_batch"));
  });
});
