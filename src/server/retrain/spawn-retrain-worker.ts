import { Worker } from "node:worker_threads";
import type { RetrainJob, RetrainJobResult } from "./retrain-job.js";

/**
 * Runs a retrain job in a worker thread: `retrain-worker.js` in `dist/`, or the `.ts` source
 * when running from `src/` (vitest, tsx), where the worker first registers tsx's loader.
 */
export function runInRetrainWorker(job: RetrainJob): Promise<RetrainJobResult> {
  const fromSource = import.meta.url.endsWith(".ts");
  const url = new URL(`./retrain-worker.${fromSource ? "ts" : "js"}`, import.meta.url);
  const worker = fromSource
    ? new Worker(`import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, {
        eval: true,
        workerData: job,
      })
    : new Worker(url, { workerData: job });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: RetrainJobResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    worker.once("message", (result: RetrainJobResult) => finish(result));
    worker.once("error", (error) => finish({ ok: false, error: error.message }));
    worker.once("exit", (code) => finish({ ok: false, error: `the retrain worker exited with code ${code} before it answered` }));
  });
}

function tsxApi(): string {
  try {
    return import.meta.resolve("tsx/esm/api");
  } catch {
    return "tsx/esm/api";
  }
}
