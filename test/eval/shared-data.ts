import path from "node:path";
import { sharedDir } from "../support/shared-dir.js";

export { sharedDir };

export const routellmFile = (): string => path.join(sharedDir(), "data/routellm_outcomes.jsonl");
export const mmluProFile = (): string => path.join(sharedDir(), "data/mmlupro_outcomes.jsonl");
export const pricesFile = (): string => path.join(sharedDir(), "data/prices.json");
