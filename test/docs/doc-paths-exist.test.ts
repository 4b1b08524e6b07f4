import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const docs = ["CONTRIBUTING.md", "README.md", "docs/architecture.md"];

/** Backticked repository paths (src/…, test/…, bench/…, docs/…, examples/…, schema/…). */
function pathsIn(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/`((?:src|test|bench|docs|examples|schema)\/[A-Za-z0-9_./-]+)`/g)) {
    const path = match[1] as string;
    if (!path.includes("<")) found.add(path.replace(/\/$/, ""));
  }
  return [...found];
}

describe("documentation names only files that exist", () => {
  it.each(docs)("%s", (doc) => {
    const missing = pathsIn(readFileSync(doc, "utf8")).filter((path) => !existsSync(path));
    expect(missing).toEqual([]);
  });
});
