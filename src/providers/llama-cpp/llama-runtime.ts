import os from "node:os";
import type { Llama } from "node-llama-cpp";

/**
 * One `Llama` instance per process, loaded lazily (node-llama-cpp is an optional heavy part).
 * CPU only and never building from source: the CPU binary ships as `@node-llama-cpp/linux-x64`;
 * a user who installs a GPU package can still opt in through node-llama-cpp itself.
 */
let shared: Promise<Llama> | undefined;

export function getSharedLlama(): Promise<Llama> {
  shared ??= (async () => {
    const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
    return getLlama({
      gpu: false,
      build: "never",
      maxThreads: machineCores(),
      logLevel: LlamaLogLevel.error,
      progressLogs: false,
    });
  })();
  shared.catch(() => {
    shared = undefined;
  });
  return shared;
}

export function machineCores(): number {
  return Math.max(1, os.availableParallelism());
}

/**
 * Threads per context when the config names none. llama.cpp decodes one token with a
 * memory-bound matrix-vector product: on a 2-core machine one thread per sequence is fastest,
 * and oversubscribing (the node-llama-cpp default of 4 threads) makes decoding up to 50× slower.
 * On larger machines a context gets all cores but one (the event loop needs one), at most 8.
 */
export function defaultThreads(cores = machineCores()): number {
  if (cores <= 2) return 1;
  return Math.min(cores - 1, 8);
}
