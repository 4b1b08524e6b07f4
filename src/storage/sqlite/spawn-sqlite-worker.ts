import { Worker } from "node:worker_threads";
import type { WorkerSetup } from "./sqlite-worker-protocol.js";

/**
 * Starts the writer worker next to this file: `sqlite-request-log-worker.js` in `dist/`,
 * or the `.ts` source when running from `src/` (vitest, tsx), where the worker first
 * registers tsx's loader (resolved from this file, not the cwd) so it can import TypeScript.
 */
export function spawnSqliteWorker(setup: WorkerSetup): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const url = new URL(`./sqlite-request-log-worker.${fromSource ? "ts" : "js"}`, import.meta.url);
  if (!fromSource) return new Worker(url, { workerData: setup });
  const tsx = tsxApiSpecifier();
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}

function tsxApiSpecifier(): string {
  try {
    return import.meta.resolve("tsx/esm/api");
  } catch {
    return "tsx/esm/api";
  }
}
