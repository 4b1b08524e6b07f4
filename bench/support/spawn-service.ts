import { spawn, type ChildProcess } from "node:child_process";

export interface Service {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a server process and resolves with the first URL it prints (stdout or stderr)
 * that matches `pattern`. Fails with the process output when it exits first or times out.
 */
export function spawnService(
  command: string,
  args: string[],
  pattern: RegExp,
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<Service> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const timer = setTimeout(
      () => fail(new Error(`timed out starting ${command} ${args.join(" ")}\n${output}`)),
      options.timeoutMs ?? 30_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        child.stderr?.off("data", onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({
          url: match[1] ?? match[0],
          child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGTERM");
              setTimeout(() => child.kill("SIGKILL"), 3_000).unref();
            }),
        });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => fail(new Error(`${command} exited with ${code}\n${output}`)));
  });
}

/** Starts the repo's upstream simulator (test/support/upstream-simulator-cli.ts) on a free port, recording nothing. */
export function spawnSimulator(root: string): Promise<Service> {
  return spawnService(
    process.execPath,
    ["--import", "tsx", `${root}/test/support/upstream-simulator-cli.ts`, "--port", "0", "--no-record"],
    /(http:\/\/[\d.:]+)/,
  );
}
