import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { writeOppositeArtifact } from "../support/opposite-artifacts.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";
import { tempDir } from "../routing/support/shared-slice.js";

const ADMIN = "admin-key-for-tests";
let running: TestGateway | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function gatewayWithLearnedRouter(options: { watch?: boolean; adminKeys?: string[] } = {}) {
  const dir = tempDir("hot-swap");
  const artifact = path.join(dir, "router.json");
  await writeOppositeArtifact(artifact, "large");
  running = await startTestGateway({
    edit: (config) => {
      config.server = { ...config.server, admin: { keys: options.adminKeys ?? [ADMIN], watchArtifacts: options.watch ?? false } };
      config.routers = [...(config.routers ?? []), { id: "rightsize/learned", kind: "knn", settings: { artifact } }];
    },
  });
  return { dir, artifact, gw: running };
}

async function servedModel(gw: TestGateway, stream = false): Promise<string> {
  const messages = [{ role: "user" as const, content: "Hello there, what is new" }];
  if (stream) {
    const chunks = await gw.client.chat.completions.create({ model: "rightsize/learned", messages, stream: true });
    let model = "";
    for await (const chunk of chunks) model ||= chunk.model;
    return model;
  }
  const answer = await gw.client.chat.completions.create({ model: "rightsize/learned", messages });
  return answer.model;
}

function admin(gw: TestGateway, route: string, key = ADMIN, method = "POST") {
  return fetch(`${gw.gateway.url}${route}`, { method, headers: { authorization: `Bearer ${key}` } });
}

describe("router hot swap", () => {
  it("swaps a promoted artifact under load: in-flight requests finish on the old router, new ones use the new, none dropped", async () => {
    const { artifact, gw } = await gatewayWithLearnedRouter();
    expect(await servedModel(gw)).toBe("sim-large");
    // The promoted artifact is on disk before the swap; the gateway serves the old one until told.
    await writeOppositeArtifact(artifact, "small");
    // Slow answers, so that requests are in flight while the swap happens.
    gw.sim.setDefault({ latencyMs: 2000, chunkDelayMs: 2 });
    const before = Array.from({ length: 12 }, (_, i) => servedModel(gw, i % 2 === 0));
    await vi.waitFor(() => expect(gw.gateway.gateway.inFlight.size).toBe(12), { timeout: 5000, interval: 10 });
    const response = await admin(gw, "/admin/routers/rightsize%2Flearned/reload");
    expect(response.status).toBe(200);
    const reload = (await response.json()) as { outcome: string; version: string; previousVersion: string };
    expect(reload.outcome).toBe("swapped");
    expect(reload.version).not.toBe(reload.previousVersion);
    // The swap happened while every earlier request was still being answered.
    expect(gw.gateway.gateway.inFlight.size).toBeGreaterThanOrEqual(12);
    gw.sim.setDefault({ latencyMs: 20, chunkDelayMs: 1 });
    const after = Array.from({ length: 12 }, (_, i) => servedModel(gw, i % 2 === 0));
    const [old, next] = await Promise.all([Promise.all(before), Promise.all(after)]);
    expect(old.every((model) => model === "sim-large")).toBe(true);
    expect(next.every((model) => model === "sim-small")).toBe(true);
    await gw.store.flush();
    const rows = (await gw.store.list({ limit: 1000 })).filter((row) => row.router === "rightsize/learned");
    expect(rows).toHaveLength(25);
    expect(new Set(rows.map((row) => row.id)).size).toBe(25);
    expect(rows.every((row) => row.status === 200)).toBe(true);
    const metrics = await (await fetch(`${gw.gateway.url}/metrics`)).text();
    expect(metrics).toContain(`rightsize_router_reloads_total{router="rightsize/learned",outcome="swapped",trigger="admin"} 1`);
    expect(metrics).toContain(`rightsize_router_artifact_info{router="rightsize/learned",version="${reload.version}"} 1`);
    expect(metrics).not.toContain(`version="${reload.previousVersion}"`);
  });

  it("refuses a broken artifact with 409 and keeps the old router serving", async () => {
    const { artifact, gw } = await gatewayWithLearnedRouter();
    writeFileSync(artifact, '{"format":"rightsize-router"');
    const response = await admin(gw, "/admin/routers/rightsize%2Flearned/reload");
    expect(response.status).toBe(409);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("artifact_refused");
    expect(body.error.message).toMatch(/settings\.artifact/);
    expect(await servedModel(gw)).toBe("sim-large");
    const list = (await (await admin(gw, "/admin/routers", ADMIN, "GET")).json()) as { data: { id: string; version: string }[] };
    expect(list.data.map((router) => router.id)).toEqual(["rightsize/learned"]);
  });

  it("answers an unchanged artifact with outcome unchanged", async () => {
    const { gw } = await gatewayWithLearnedRouter();
    const reload = (await (await admin(gw, "/admin/routers/rightsize%2Flearned/reload")).json()) as { outcome: string };
    expect(reload.outcome).toBe("unchanged");
  });

  it("guards the admin endpoints: 401 for a wrong key, 403 when no admin key is configured, 404 for a router without artifact", async () => {
    const { gw } = await gatewayWithLearnedRouter();
    expect((await admin(gw, "/admin/routers/rightsize%2Flearned/reload", "wrong")).status).toBe(401);
    const notLearned = await admin(gw, "/admin/routers/rightsize%2Fauto/reload");
    expect(notLearned.status).toBe(404);
    expect(((await notLearned.json()) as { error: { message: string } }).error.message).toMatch(/reads no artifact/);
    await gw.close();
    running = undefined;
    const { gw: closed } = await gatewayWithLearnedRouter({ adminKeys: [] });
    const off = await admin(closed, "/admin/routers", ADMIN, "GET");
    expect(off.status).toBe(403);
    expect(((await off.json()) as { error: { code: string } }).error.code).toBe("admin_disabled");
  });

  it("reloads when the artifact file is replaced (atomic rename) with watchArtifacts on", async () => {
    const { dir, artifact, gw } = await gatewayWithLearnedRouter({ watch: true });
    const staged = path.join(dir, "router.json.tmp");
    await writeOppositeArtifact(staged, "small");
    renameSync(staged, artifact);
    await vi.waitFor(async () => expect(await servedModel(gw)).toBe("sim-small"), { timeout: 5000, interval: 50 });
  });
});
