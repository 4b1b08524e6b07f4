import path from "node:path";
import { fileURLToPath } from "node:url";

/** ../shared relative to the repo root, or RIGHTSIZE_SHARED. */
export function sharedDir(): string {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  return process.env.RIGHTSIZE_SHARED ?? path.resolve(repoRoot, "../shared");
}

export const routellmFile = (): string => path.join(sharedDir(), "data/routellm_outcomes.jsonl");
export const mmluProFile = (): string => path.join(sharedDir(), "data/mmlupro_outcomes.jsonl");
export const pricesFile = (): string => path.join(sharedDir(), "data/prices.json");
