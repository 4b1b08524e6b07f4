import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../support/ensure-built.js";
import { repoRoot, sharedDir } from "../support/shared-dir.js";
import { startUpstreamSimulator, type UpstreamSimulator } from "../support/upstream-simulator.js";
import { clientSnippet, type ShellBlock, shellBlocks } from "./doc-shell-blocks.js";

/**
 * Every shell block of the README and docs/ runs, as a reader would paste it, so the front door
 * cannot rot. The blocks run in order in a scratch copy of the repository (the files a clone
 * has, linked; `../shared` beside it), with `rightsize` on the PATH as an installed package puts
 * it. A command that starts the gateway (`npm start`, `rightsize serve`) runs in the background
 * until the end of its block: once its banner is out, /healthz and the README's client snippet
 * are sent to it, and at the end of the block it gets SIGTERM and must stop.
 *
 * What differs from a reader's machine, and only this:
 * - upstream base URLs (`SMALL_BASE_URL`, `OPENAI_BASE_URL`, which the example reads) point at
 *   the upstream simulator; no upstream key is set;
 * - the gateway listens on a free port: `PORT=0` for the quickstart, `port: 0` written into the
 *   copied `rightsize.yaml`, and the snippet's `127.0.0.1:8080` replaced by the real address;
 * - `npm start` skips its `prestart` build (`npm_config_ignore_scripts`): dist/ is built already;
 * - HOME and the model cache are empty scratch folders.
 * A block opts out only with a visible `<!-- docs-test: skip (reason) -->` line above it.
 */
const FILES = ["README.md", "docs/learned-routing.md", "docs/evaluation.md"];
const MAX_OPT_OUTS = 3;
const COMMAND_TIMEOUT_MS = 120_000;

function documentFiles(): string[] {
  const rest = readdirSync(path.join(repoRoot, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`)
    .filter((file) => !FILES.includes(file))
    .sort();
  return [...FILES, "CONTRIBUTING.md", ...rest];
}

interface Scratch {
  repo: string;
  env: NodeJS.ProcessEnv;
}

let sim: UpstreamSimulator;
let scratch: Scratch;

beforeAll(async () => {
  await ensureBuilt();
  sim = await startUpstreamSimulator({ record: false });
  scratch = makeScratch(sim.baseUrl);
}, 180_000);
afterAll(async () => sim?.close());

function makeScratch(simBaseUrl: string): Scratch {
  const root = mkdtempSync(path.join(tmpdir(), "rightsize-docs-"));
  const repo = path.join(root, "repo");
  mkdirSync(repo);
  for (const entry of ["package.json", "bin", "dist", "node_modules", "examples", "schema", "docs", "README.md"]) {
    symlinkSync(path.join(repoRoot, entry), path.join(repo, entry));
  }
  symlinkSync(sharedDir(), path.join(root, "shared"));
  const binDir = path.join(root, "path-bin");
  mkdirSync(binDir);
  const shim = path.join(binDir, "rightsize");
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${path.join(repoRoot, "bin", "rightsize.js")}" "$@"\n`);
  chmodSync(shim, 0o755);
  const home = path.join(root, "home");
  mkdirSync(home);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    "RIGHTSIZE_CONFIG",
    "RIGHTSIZE_SMALL_MODEL",
    "RIGHTSIZE_API_KEY",
    "RIGHTSIZE_DB",
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
  ]) {
    delete env[name];
  }
  Object.assign(env, {
    PATH: `${binDir}:${path.dirname(process.execPath)}:${process.env.PATH ?? ""}`,
    HOME: home,
    RIGHTSIZE_MODELS_DIR: path.join(root, "model-cache"),
    SMALL_BASE_URL: simBaseUrl,
    OPENAI_BASE_URL: simBaseUrl,
    PORT: "0",
    npm_config_ignore_scripts: "true",
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    NO_COLOR: "1",
  });
  return { repo, env };
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", command], { cwd: scratch.repo, env: scratch.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const isServer = (command: string) => /(^|\s)(npm start|(npx )?rightsize serve)\b/.test(command);

interface Server {
  url: string;
  child: ChildProcess;
  stderr(): string;
}

async function startServer(command: string): Promise<Server> {
  const config = path.join(scratch.repo, "rightsize.yaml");
  try {
    writeFileSync(config, readFileSync(config, "utf8").replace(/^(\s+port:\s*)8080\b/m, "$10"));
  } catch {
    // no copied config: the quickstart listens on $PORT
  }
  const child = spawn("bash", ["-c", command], { cwd: scratch.repo, env: scratch.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.resume();
  for (let waited = 0; waited < 60_000; waited += 100) {
    const url = /rightsize gateway on (http:\/\/\S+)\/v1/.exec(stderr)?.[1];
    if (url) return { url, child, stderr: () => stderr };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (child.pid) process.kill(-child.pid, "SIGKILL");
  throw new Error(`\`${command}\` printed no banner:\n${stderr}`);
}

/**
 * SIGTERM to the command's process group (what Ctrl-C or a process manager does); the gateway
 * must say it stopped. Waits for the output pipes to close: npm may exit before the gateway has.
 */
async function stopServer(server: Server): Promise<void> {
  const exited = new Promise<void>((resolve) => server.child.once("close", () => resolve()));
  if (server.child.pid) process.kill(-server.child.pid, "SIGTERM");
  const timer = setTimeout(() => server.child.pid && process.kill(-server.child.pid, "SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
  expect(server.stderr()).toContain("rightsize: stopped");
}

async function askServer(server: Server, snippet: string | undefined): Promise<void> {
  const health = await fetch(`${server.url}/healthz`);
  expect(health.status).toBe(200);
  if (!snippet) return;
  const file = path.join(scratch.repo, "client-snippet.mts");
  const program = `${snippet.replaceAll("http://127.0.0.1:8080", server.url)}\nconsole.log(answer.choices[0]?.message.content ?? "");\n`;
  writeFileSync(file, program);
  const result = await run(`node --import tsx ${file}`);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(result.stdout.trim()).not.toBe("");
}

async function runBlock(block: ShellBlock, snippet: string | undefined): Promise<void> {
  const servers: Server[] = [];
  try {
    for (const command of block.commands) {
      if (isServer(command)) {
        const server = await startServer(command);
        servers.push(server);
        await askServer(server, snippet);
        continue;
      }
      const result = await run(command);
      expect({ command, code: result.code, stderr: result.code === 0 ? "" : result.stderr }).toEqual({ command, code: 0, stderr: "" });
      expect(`${result.stdout}${result.stderr}`.trim(), command).not.toBe("");
    }
  } finally {
    for (const server of servers) await stopServer(server);
  }
}

describe("the shell blocks of the README and docs/ run as written", () => {
  const files = documentFiles();
  const blocks = files.flatMap((file) => shellBlocks(path.join(repoRoot, file)).map((block) => ({ ...block, file })));
  const snippet = clientSnippet(path.join(repoRoot, "README.md"));

  it("opt-outs are few and each gives its reason", () => {
    const skipped = blocks.filter((block) => block.skip !== undefined);
    expect(skipped.length).toBeLessThanOrEqual(MAX_OPT_OUTS);
    for (const block of skipped) expect((block.skip as string).length).toBeGreaterThan(10);
  });

  it("the README has a client snippet and shell blocks to run", () => {
    expect(snippet).toContain('model: "rightsize/auto"');
    expect(blocks.filter((block) => block.skip === undefined).length).toBeGreaterThanOrEqual(4);
  });

  for (const block of blocks) {
    const name = `${block.file}:${block.line}: ${block.commands[0]?.slice(0, 70) ?? ""}`;
    if (block.skip !== undefined) {
      it.skip(`${name} (opted out: ${block.skip})`, () => undefined);
      continue;
    }
    it(name, async () => runBlock(block, snippet), 300_000);
  }
});
