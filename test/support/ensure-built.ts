import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const lock = path.join(repoRoot, "dist.build-lock");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** tsc rewrites every output, so the newest file in dist/ says when it was built. */
function builtAt(): number {
  try {
    return newestMtime(path.join(repoRoot, "dist"));
  } catch {
    return 0;
  }
}

function lockIsStale(): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > 120_000;
  } catch {
    return false;
  }
}

/**
 * Makes sure dist/ holds a build of the current src/ (tests that run the real `rightsize` bin,
 * as users do, need it). `npm run test:all` builds before the tests, so this normally finds it
 * fresh; after an edit it builds once, test files in other workers waiting on a lock.
 */
export async function ensureBuilt(): Promise<void> {
  for (;;) {
    if (builtAt() >= newestMtime(path.join(repoRoot, "src"))) return;
    try {
      mkdirSync(lock);
    } catch {
      if (lockIsStale()) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    try {
      if (builtAt() < newestMtime(path.join(repoRoot, "src"))) {
        execFileSync(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
          cwd: repoRoot,
          stdio: "inherit",
        });
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
