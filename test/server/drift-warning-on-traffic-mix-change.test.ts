import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../routing/support/shared-slice.js";
import { familyPrompt, writeFamilyArtifact } from "../support/opposite-artifacts.js";
import { runCli } from "../support/run-cli.js";
import { startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

const ADMIN = "admin-key-for-drift";
let running: TestGateway | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
  process.exitCode = undefined;
});

async function send(gw: TestGateway, families: ("A" | "B" | "C")[]): Promise<string[]> {
  const served: string[] = [];
  for (const [i, family] of families.entries()) {
    const answer = await gw.client.chat.completions.create({
      model: "rightsize/learned",
      messages: [{ role: "user", content: familyPrompt(family, 100 + i) }],
    });
    served.push(answer.model);
  }
  return served;
}

async function status(gw: TestGateway) {
  const response = await fetch(`${gw.gateway.url}/admin/status`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return (await response.json()) as {
    warnings: string[];
    drift: { router: string; largeShare: { outOfBand: boolean; samples: number } }[];
  };
}

describe("drift", () => {
  it("stays quiet on the traffic mix the router was calibrated for and warns when more of family C arrives", async () => {
    const artifact = path.join(tempDir("drift"), "router.json");
    await writeFamilyArtifact(artifact);
    running = await startTestGateway({
      edit: (config) => {
        config.server = { ...config.server, admin: { keys: [ADMIN] } };
        config.drift = { window: 60, minSamples: 30 };
        config.routers = [...(config.routers ?? []), { id: "rightsize/learned", kind: "knn", settings: { artifact } }];
      },
    });
    const gw = running;
    const even = await send(
      gw,
      Array.from({ length: 60 }, (_, i) => (["A", "B", "C"] as const)[i % 3] ?? "A"),
    );
    const large = even.filter((model) => model === "sim-large").length;
    expect(large).toBeGreaterThanOrEqual(17);
    expect(large).toBeLessThanOrEqual(23);
    const calm = await status(gw);
    expect(calm.warnings).toEqual([]);
    expect(calm.drift.find((d) => d.router === "rightsize/learned")?.largeShare).toMatchObject({ samples: 60, outOfBand: false });

    // The world drifts: most requests are now of family C.
    await send(
      gw,
      Array.from({ length: 60 }, (_, i) => (i % 5 === 0 ? "A" : "C")),
    );
    const drifted = await status(gw);
    expect(drifted.warnings).toHaveLength(1);
    expect(drifted.warnings[0]).toMatch(/^rightsize\/learned: large-model share (7\d|8\d)\.\d% .* left its calibration band 27\.0%–40\.0%/);
    const metrics = await (await fetch(`${gw.gateway.url}/metrics`)).text();
    expect(metrics).toContain('rightsize_drift_out_of_band{router="rightsize/learned",signal="large_share"} 1');
    expect(metrics).toMatch(/rightsize_drift_signal\{router="rightsize\/learned",signal="large_share",bound="value"\} 0\.[78]/);

    const cli = await runCli("status", "--url", gw.gateway.url, "--admin-key", ADMIN, "--fail-on-warning");
    expect(cli.code).toBe(3);
    expect(cli.out).toMatch(/large-model share +[78]\d\.\d% \(95% .*n=60, band 27\.0%–40\.0% \(calibration\)\) {2}OUT OF BAND/);
    expect(cli.out).toMatch(/^warning: rightsize\/learned: large-model share/m);
  });

  it("rightsize status says what is wrong when the gateway refuses the key or cannot be reached", async () => {
    running = await startTestGateway({ edit: (config) => void (config.server = { ...config.server, admin: { keys: [ADMIN] } }) });
    const wrong = await runCli("status", "--url", running.gateway.url, "--admin-key", "nope");
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/401 Incorrect admin key provided/);
    const nokey = await runCli("status", "--url", running.gateway.url);
    expect(nokey.err).toMatch(/give an admin key/);
    const quiet = await runCli("status", "--url", running.gateway.url, "--admin-key", ADMIN);
    expect(quiet.out).toContain("drift: no traffic yet");
  });
});

describe("automatic recalibration", () => {
  it("recomputes the threshold from live scores when the large share drifts, and the share returns to its target", async () => {
    const artifact = path.join(tempDir("recalibrate"), "router.json");
    await writeFamilyArtifact(artifact);
    running = await startTestGateway({
      edit: (config) => {
        config.server = { ...config.server, admin: { keys: [ADMIN] } };
        config.drift = { window: 60, minSamples: 30, autoRecalibrate: true };
        config.routers = [...(config.routers ?? []), { id: "rightsize/learned", kind: "knn", settings: { artifact } }];
      },
    });
    const gw = running;
    await send(
      gw,
      Array.from({ length: 60 }, (_, i) => (i % 5 === 0 ? "A" : "C")),
    );
    const reloaded = gw.gateway.gateway.reloader.list()[0];
    expect(reloaded?.version).toMatch(/^[0-9a-f]{16}~t0\.\d{4}$/);
    const metrics = await (await fetch(`${gw.gateway.url}/metrics`)).text();
    expect(metrics).toContain('rightsize_router_reloads_total{router="rightsize/learned",outcome="swapped",trigger="recalibrate"} 1');
    // The same drifted mix, now routed at the recalibrated threshold: about a third goes large.
    const after = await send(
      gw,
      Array.from({ length: 60 }, (_, i) => (i % 5 === 0 ? "A" : "C")),
    );
    const share = after.filter((model) => model === "sim-large").length / after.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.5);
    expect((await status(gw)).warnings).toEqual([]);
  });
});
