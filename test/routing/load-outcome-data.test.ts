import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dataSha256, loadOutcomeData, OutcomeDataError } from "../../src/learning/outcomes/load-outcome-data.js";

const dir = mkdtempSync(path.join(tmpdir(), "rightsize-loader-"));
function file(name: string, lines: unknown[]): string {
  const target = path.join(dir, name);
  writeFileSync(target, lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n") + "\n");
  return target;
}
const row = (
  id: string,
  extra: Record<string, unknown> = {},
  outcomes: Record<string, unknown> = { a: { score: 1, output_chars: 10 }, b: { score: 0, output_chars: 5 } },
) => ({ id, prompt: `question ${id}`, category: "gsm8k", outcomes, ...extra });

async function expectDataError(target: string, line: number, field: string): Promise<void> {
  const error = await loadOutcomeData(target).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutcomeDataError);
  const dataError = error as OutcomeDataError;
  expect({ line: dataError.line, field: dataError.field }).toEqual({ line, field });
  expect(dataError.message).toContain(`${target}:${line}: ${field}`);
}

describe("loadOutcomeData", () => {
  it("keeps extras on rows and outcomes and fills a missing output_chars with 0, counting it", async () => {
    const target = file("ok.jsonl", [row("1", { gold: "B" }, { a: { score: 1, pred: "C" }, b: { score: 0.5, output_chars: 3 } })]);
    const { rows, report } = await loadOutcomeData(target);
    expect(rows[0]?.extras).toEqual({ gold: "B" });
    expect(rows[0]?.outcomes.a).toEqual({ score: 1, output_chars: 0, pred: "C" });
    expect(report.missingOutputChars).toBe(1);
  });

  it("names file, line and field for bad JSON", async () => {
    await expectDataError(file("bad-json.jsonl", [row("1"), "{not json"]), 2, "(json)");
  });

  it("names file, line and field for a missing field", async () => {
    const { prompt: _omit, ...noPrompt } = row("2");
    void _omit;
    await expectDataError(file("missing.jsonl", [row("1"), "", noPrompt]), 3, "prompt");
  });

  it("names file, line and field for a wrong type inside an outcome", async () => {
    await expectDataError(
      file("type.jsonl", [row("1", {}, { "gpt-4o": { score: "yes", output_chars: 1 } })]),
      1,
      'outcomes["gpt-4o"].score',
    );
  });

  it("skips invalid lines only when asked, and lists them", async () => {
    const { rows, report } = await loadOutcomeData(file("skip.jsonl", [row("1"), "[]", row("3")]), { onInvalid: "skip" });
    expect(rows.map((r) => r.id)).toEqual(["1", "3"]);
    expect(report.invalid).toHaveLength(1);
    expect(report.invalid[0]?.line).toBe(2);
  });

  it("counts every filtered row by reason", async () => {
    const target = file("filters.jsonl", [
      row("1", { contaminated: true }),
      row("2", { version_conflict: true }),
      row("3", { category: "mmlu/law" }),
      row("4", {}, { a: { score: 1, output_chars: 1 } }),
      row("5"),
    ]);
    const { rows, report } = await loadOutcomeData(target, {
      dropContaminated: true,
      dropVersionConflict: true,
      categoryPrefixes: ["gsm8k"],
      requireModels: ["a", "b"],
    });
    expect(rows.map((r) => r.id)).toEqual(["5"]);
    expect(report.skipped).toEqual({ contaminated: 1, versionConflict: 1, category: 1, missingModel: { b: 1 }, missingModels: 1 });
  });

  it("hashes the file bytes", async () => {
    const target = file("hash.jsonl", ["abc"]);
    expect(await dataSha256(target)).toBe("edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb");
  });
});
