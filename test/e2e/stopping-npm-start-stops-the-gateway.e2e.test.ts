import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { ensureBuilt } from "../support/ensure-built.js";
import { repoRoot } from "../support/spawn-rightsize.js";

/**
 * `npm start` runs the gateway through npm and a shell. Stopping it by npm's process id (what a
 * process manager or `kill $(pgrep npm)` does) must stop the gateway too, not leave it orphaned
 * and still listening. (`--ignore-scripts` skips the `prestart` build; dist/ is built already.)
 */
beforeAll(async () => ensureBuilt(), 120_000);

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

it("SIGTERM to npm start's pid stops the gateway: nothing is left listening", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "rightsize-npm-start-"));
  const config = path.join(dir, "rightsize.yaml");
  writeFileSync(
    config,
    "server: { port: 0 }\nmodels:\n  - { id: a, provider: openai-compatible, model: m, baseUrl: 'http://127.0.0.1:9/v1' }\nstorage: { path: ':memory:' }\n",
  );
  const npm = spawn("npm", ["start", "--ignore-scripts", "--silent"], {
    cwd: repoRoot,
    env: { ...process.env, RIGHTSIZE_CONFIG: config },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  npm.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => npm.once("exit", () => resolve()));
  let port = 0;
  for (let i = 0; i < 400 && !port; i++) {
    port = Number(/rightsize gateway on http:\/\/127\.0\.0\.1:(\d+)\/v1/.exec(stderr)?.[1] ?? 0);
    if (!port) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(port, stderr).toBeGreaterThan(0);
  expect(await listening(port)).toBe(true);
  npm.kill("SIGTERM");
  await exited;
  let stillListening = true;
  for (let i = 0; i < 100 && stillListening; i++) {
    stillListening = await listening(port);
    if (stillListening) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(stillListening, stderr).toBe(false);
  expect(stderr).toContain("SIGTERM: shutting down");
}, 60_000);
