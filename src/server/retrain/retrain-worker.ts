import { parentPort, workerData } from "node:worker_threads";
import type { RetrainJob } from "./retrain-job.js";
import { runRetrainJob } from "./run-retrain-job.js";

// A worker thread: training and calibration run here, so the gateway's event loop keeps serving.
const result = await runRetrainJob(workerData as RetrainJob);
parentPort?.postMessage(result);
