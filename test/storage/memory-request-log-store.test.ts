import { describe, expect, it } from "vitest";
import { MemoryRequestLogStore } from "../../src/storage/memory-request-log-store.js";
import { describeFeedbackStoreConformance } from "./feedback-store-conformance.js";
import { describeRequestLogStoreConformance, type StoreHarness } from "./request-log-store-conformance.js";
import { makeRecord } from "./request-log-fixtures.js";

async function memoryRequestLogStoreHarness(): Promise<StoreHarness> {
  const errors: Error[] = [];
  const store = new MemoryRequestLogStore({ onError: (error) => errors.push(error) });
  return { store, errors, reopen: async () => store, cleanup: () => store.close() };
}

describeRequestLogStoreConformance("MemoryRequestLogStore", memoryRequestLogStoreHarness);
describeFeedbackStoreConformance("MemoryRequestLogStore", memoryRequestLogStoreHarness);

describe("MemoryRequestLogStore", () => {
  it("stores a copy, so a caller mutating its record later changes nothing", async () => {
    const store = new MemoryRequestLogStore();
    const record = makeRecord();
    store.append(record);
    record.attempts[0]!.model = "mutated";
    record.answer = "mutated";
    const [stored] = await store.list();
    expect(stored?.answer).toBe("hi there");
    expect(stored?.attempts[0]?.model).toBe("small");
  });

  it("redacts known secrets and drops content when logContent is off", async () => {
    const store = new MemoryRequestLogStore({ secrets: ["client-key-123"], logContent: false });
    store.append(makeRecord({ error: "bad key client-key-123", prompt: "p", answer: "a" }));
    const [stored] = await store.list();
    expect(stored).toMatchObject({ error: "bad key [REDACTED]", prompt: null, answer: null });
  });
});
