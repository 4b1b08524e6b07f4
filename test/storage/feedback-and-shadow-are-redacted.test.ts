import { describe, expect, it } from "vitest";
import { MemoryRequestLogStore } from "../../src/storage/memory-request-log-store.js";
import type { RequestLogStore } from "../../src/storage/request-log-store.js";
import { SqliteRequestLogStore } from "../../src/storage/sqlite/sqlite-request-log-store.js";
import { makeFeedback, makeShadow } from "./feedback-fixtures.js";
import { makeTempDir } from "./request-log-fixtures.js";

const SECRET = "sk-live-known-secret-value-42";
const options = { secrets: [SECRET], redact: { pii: ["email" as const] } };

const stores: [string, () => Promise<{ store: RequestLogStore; done: () => Promise<void> }>][] = [
  ["memory", async () => ({ store: new MemoryRequestLogStore(options), done: async () => {} })],
  [
    "SQLite",
    async () => {
      const dir = makeTempDir();
      const store = await SqliteRequestLogStore.open(dir.file("log.db"), options);
      return {
        store,
        done: async () => {
          await store.close();
          dir.remove();
        },
      };
    },
  ],
];

describe.each(stores)("the %s store redacts feedback and shadow judgments like request rows", (_name, open) => {
  it("redacts known secrets and opted-in personal data from comments, demonstrations, verdicts and shadow answers", async () => {
    const { store, done } = await open();
    try {
      await store.appendFeedback([
        makeFeedback({ comment: `key ${SECRET} leaked`, demonstration: "Write to jane@example.com, token=abcd1234efgh" }),
      ]);
      store.appendShadow(makeShadow({ verdict: `saw ${SECRET}`, shadowAnswer: "mail bob@example.org" }));
      await store.flush();
      const [feedback] = await store.listFeedback();
      expect(feedback?.comment).toBe("key [REDACTED] leaked");
      expect(feedback?.demonstration).toBe("Write to [REDACTED:email], token=[REDACTED]");
      const [shadow] = await store.listShadow();
      expect(shadow?.verdict).toBe("saw [REDACTED]");
      expect(shadow?.shadowAnswer).toBe("mail [REDACTED:email]");
    } finally {
      await done();
    }
  });
});
