import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "../..");
export const rightsizeBin = path.join(repoRoot, "bin", "rightsize.js");

export interface RightsizeProcess {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  stdout(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/** Starts the real `rightsize` bin (dist/, as users run it) as a child process. */
export function spawnRightsize(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RightsizeProcess {
  const child = spawn(process.execPath, [rightsizeBin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  let out = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, stderr: () => err, stdout: () => out, exited };
}

/** Waits for `rightsize serve` to print its banner; resolves with the gateway's base URL (http://host:port). */
export async function gatewayUrl(process: RightsizeProcess, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /rightsize gateway on (http:\/\/[^\s]+)\/v1/.exec(process.stderr());
    if (match?.[1]) return match[1];
    if (process.child.exitCode !== null) throw new Error(`rightsize exited early:\n${process.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`rightsize serve printed no banner within ${timeoutMs} ms:\n${process.stderr()}`);
}
