import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRequestLogReader } from "../../src/storage/sqlite/sqlite-request-log-reader.js";
import { ensureBuilt } from "../support/ensure-built.js";
import { chatRequestText, rawConnection } from "../support/raw-http.js";
import { simText } from "../support/sim-scenario.js";
import { gatewayUrl, type RightsizeProcess, spawnRightsize } from "../support/spawn-rightsize.js";
import { startUpstreamSimulator, type UpstreamSimulator } from "../support/upstream-simulator.js";

/**
 * A real `rightsize serve` process, an HTTP/1.0 client streaming through it (the case that used
 * to hang forever and then block shutdown), and SIGTERM: in-flight streams get the grace period,
 * then end with an error frame; the process exits 0; every request has its log row.
 */
let sim: UpstreamSimulator;
const dir = mkdtempSync(path.join(tmpdir(), "rightsize-sigterm-"));

beforeAll(async () => {
  await ensureBuilt();
  sim = await startUpstreamSimulator();
}, 120_000);
afterAll(async () => sim.close());

function writeConfig(graceMs: number): string {
  const file = path.join(dir, `rightsize-${graceMs}.yaml`);
  writeFileSync(
    file,
    `server:
  port: 0
  logLevel: warn
  timeouts: { shutdownGraceMs: ${graceMs} }
models:
  - { id: small, provider: openai-compatible, model: sim-small, baseUrl: "${sim.baseUrl}" }
storage:
  path: log-${graceMs}.db
`,
  );
  return file;
}

async function serve(graceMs: number): Promise<{ process: RightsizeProcess; port: number; db: string }> {
  const file = writeConfig(graceMs);
  const process = spawnRightsize(["serve", "--config", file]);
  const url = await gatewayUrl(process);
  return { process, port: Number(new URL(url).port), db: path.join(dir, `log-${graceMs}.db`) };
}

const slowStream = { model: "small", messages: [{ role: "user", content: "a long answer" }], stream: true };

describe("SIGTERM with streams in flight", () => {
  it("an HTTP/1.0 stream still running after the grace period ends with an error frame; the process exits 0", async () => {
    sim.setDefault({ content: simText(400), chunkDelayMs: 50 });
    const { process, port, db } = await serve(600);
    try {
      const client = rawConnection(port, chatRequestText(slowStream, { version: "1.0", headers: { "x-request-id": "sigterm-h10" } }));
      await client.waitFor('"content":" word2"');
      const signalledAt = performance.now();
      process.child.kill("SIGTERM");
      const response = await client.closed;
      expect(performance.now() - signalledAt).toBeLessThan(4_000);
      expect(response.headers.trailer).toBeUndefined();
      expect(response.body).toMatch(
        /data: \{"error":\{"message":"The gateway shut down before the answer was complete\.".*"code":"shutting_down"/,
      );
      expect(response.body).not.toContain("[DONE]");
      expect(await process.exited).toBe(0);
      expect(process.stderr()).toContain("SIGTERM: shutting down (in-flight requests have 0.6 s to finish)");
      const reader = await openRequestLogReader(db);
      const rows = (await reader.list()).filter((row) => row.id === "sigterm-h10");
      await reader.close();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 503, errorCode: "shutting_down", stream: true });
    } finally {
      process.child.kill("SIGKILL");
    }
  }, 30_000);

  it("a stream that ends within the grace period completes, and the process exits 0", async () => {
    sim.setDefault({ content: simText(30), chunkDelayMs: 40 });
    const { process, port } = await serve(10_000);
    try {
      const client = rawConnection(port, chatRequestText(slowStream, { version: "1.0" }));
      await client.waitFor('"content":" word1"');
      process.child.kill("SIGTERM");
      const response = await client.closed;
      expect(response.body.trimEnd().endsWith("data: [DONE]")).toBe(true);
      expect(await process.exited).toBe(0);
    } finally {
      process.child.kill("SIGKILL");
    }
  }, 30_000);
});
