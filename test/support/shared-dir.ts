import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The shared read-only folder: `../shared` beside the repository, or $RIGHTSIZE_SHARED. */
export function sharedDir(): string {
  return process.env.RIGHTSIZE_SHARED ?? path.resolve(repoRoot, "../shared");
}
