import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ArtifactHistory } from "../../src/learning/artifact-history.js";
import { artifactVersion } from "../../src/routing/artifact-version.js";
import { parseRouterArtifact } from "../../src/routing/learned/router-artifact-schema.js";
import { tempDir } from "../routing/support/shared-slice.js";
import { writeOppositeArtifact } from "../support/opposite-artifacts.js";
import { runCli } from "../support/run-cli.js";

afterEach(() => {
  process.exitCode = undefined;
});

async function historyWithTwoVersions() {
  const dir = tempDir("router-history");
  const file = path.join(dir, "router.json");
  await writeOppositeArtifact(file, "large");
  const first = await artifactVersion(file);
  const candidate = path.join(dir, "candidate.json");
  await writeOppositeArtifact(candidate, "small");
  const artifact = parseRouterArtifact(JSON.parse(readFileSync(candidate, "utf8")));
  const history = new ArtifactHistory(file);
  const second = await history.promote(artifact, { metrics: { quality: 0.91, largeShare: 0.2 }, note: "not worse on quality" });
  return { dir, file, first, second, history };
}

describe("rightsize router history | diff | rollback", () => {
  it("keeps every version with lineage: the adopted original, then the promoted one with its parent and metrics", async () => {
    const { file, first, second } = await historyWithTwoVersions();
    expect(await artifactVersion(file)).toBe(second);
    const { code, out } = await runCli("router", "history", "--artifact", file);
    expect(code).toBe(0);
    const lines = out.split("\n");
    expect(lines[1]).toMatch(new RegExp(`^\\* ${second}  promoted .*knn, 30 rows, data small, parent ${first}$`));
    expect(out).toMatch(/quality 0\.9100, largeShare 0\.2000/);
    expect(out).toMatch(/not worse on quality/);
    expect(out).toMatch(new RegExp(`^  ${first}  adopted `, "m"));
  });

  it("diffs the serving version against its parent by default", async () => {
    const { file, first, second } = await historyWithTwoVersions();
    const { code, out } = await runCli("router", "diff", "--artifact", file);
    expect(code).toBe(0);
    expect(out).toContain(`${first} → ${second}`);
    expect(out).toContain('training data: "large (30 rows)" → "small (30 rows)"');
    expect(out).toContain('kind: "knn" (same)');
    expect(out).toContain("metric.quality: null → 0.91");
  });

  it("rolls back to the parent atomically and records it; a named version works too", async () => {
    const { file, first, second } = await historyWithTwoVersions();
    const back = await runCli("router", "rollback", "--artifact", file, "--reason", "canary looked worse");
    expect(back.code).toBe(0);
    expect(back.out).toContain(`serving ${first} (was ${second})`);
    expect(await artifactVersion(file)).toBe(first);
    const history = await runCli("router", "history", "--artifact", file);
    expect(history.out).toMatch(new RegExp(`^\\* ${first}  rollback .*\\n    canary looked worse`, "m"));
    const forward = await runCli("router", "rollback", second.slice(0, 6), "--artifact", file);
    expect(forward.code).toBe(0);
    expect(await artifactVersion(file)).toBe(second);
  });

  it("finds the artifact through --config and --router, and names the file and line when the router reads none", async () => {
    const { dir, file, second } = await historyWithTwoVersions();
    const config = path.join(dir, "rightsize.yaml");
    writeFileSync(
      config,
      [
        "models: []",
        "routers:",
        "  - id: rules",
        "    kind: rules",
        "  - id: learned",
        "    kind: knn",
        "    settings:",
        `      artifact: ${path.basename(file)}`,
        "",
      ].join("\n"),
    );
    const ok = await runCli("router", "history", "--config", config, "--router", "learned");
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(second);
    const none = await runCli("router", "history", "--config", config, "--router", "rules");
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/rightsize\.yaml:3: routers\[0\] \(rules\) reads no artifact/);
    const unknown = await runCli("router", "history", "--config", config, "--router", "nope");
    expect(unknown.err).toMatch(/no router "nope" \(routers: rules, learned\)/);
  });

  it("refuses a rollback with nowhere to go and an unknown version, with one clear line", async () => {
    const dir = tempDir("router-history-empty");
    const file = path.join(dir, "router.json");
    await writeOppositeArtifact(file, "large");
    const none = await runCli("router", "rollback", "--artifact", file);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/has no earlier version to roll back to; name one/);
    const unknown = await runCli("router", "rollback", "ffff", "--artifact", file);
    expect(unknown.err).toMatch(/no version ffff/);
  });
});
