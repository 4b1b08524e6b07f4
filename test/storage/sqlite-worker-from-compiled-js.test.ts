import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";
import { makeRecord, makeTempDir } from "./request-log-fixtures.js";

const repoRoot = resolve(import.meta.dirname, "../..");

/** Transpiles every file under src/<folder> to JavaScript in `outDir`, as `tsc` would for dist/. */
function transpileFolder(folder: string, outDir: string): void {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
    );
  for (const file of walk(resolve(repoRoot, "src", folder))) {
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: true },
      fileName: file,
    });
    const out = join(outDir, relative(resolve(repoRoot, "src"), file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
}

it("the store starts its worker from compiled .js files (dist/), without tsx", async () => {
  const dir = makeTempDir();
  const dist = dir.file("dist");
  // The worker imports the storage layer and the core below it.
  transpileFolder("core", dist);
  transpileFolder("storage", dist);
  writeFileSync(dir.file("package.json"), JSON.stringify({ type: "module" }));
  symlinkSync(resolve(repoRoot, "node_modules"), dir.file("node_modules"), "dir");

  const storeUrl = new URL(`file://${join(dist, "storage/sqlite/sqlite-request-log-store.js")}`).href;
  const { SqliteRequestLogStore } = (await import(
    /* @vite-ignore */ storeUrl
  )) as typeof import("../../src/storage/sqlite/sqlite-request-log-store.js");
  const store = await SqliteRequestLogStore.open(dir.file("log.db"), { secrets: ["compiled-secret"] });
  store.append(makeRecord({ answer: "the key is compiled-secret" }));
  const [stored] = await store.list();
  expect(stored?.answer).toBe("the key is [REDACTED]");
  await store.close();
  dir.remove();
});
