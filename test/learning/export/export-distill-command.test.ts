import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteRequestLogStore } from "../../../src/storage/sqlite/sqlite-request-log-store.js";
import { makeFeedback, makeShadow } from "../../storage/feedback-fixtures.js";
import { makeRecord, makeTempDir, type TempDir } from "../../storage/request-log-fixtures.js";
import { runCli } from "../../support/run-cli.js";
import { chatFineTuningProblems } from "./chat-fine-tuning-format.js";

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const user = (content: string) => JSON.stringify([{ role: "user", content }]);
const TOOL_CALLS = [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }];

function lines(file: string): Record<string, unknown>[] {
  const text = readFileSync(file, "utf8").trim();
  return text === "" ? [] : text.split("\n").map((line) => JSON.parse(line));
}

describe("rightsize export distill", () => {
  let dir: TempDir;
  let db: string;
  beforeAll(async () => {
    dir = makeTempDir();
    db = dir.file("rs.db");
    const store = await SqliteRequestLogStore.open(db);
    const add = (i: number, fields: Parameters<typeof makeRecord>[0]) =>
      store.append(makeRecord({ id: `r${i}`, time: T0 + i * 1000, model: "large", router: "rightsize/auto", ...fields }));
    add(1, { prompt: user("Explain photosynthesis to a child in two sentences."), answer: "Plants eat light." });
    const haiku = "Write a haiku about the sea at night, with waves, stars, a lighthouse on the cliff and a lonely boat drifting home";
    add(2, { prompt: user(`${haiku}.`), answer: "Waves hum in the dark" });
    add(3, { prompt: user(`${haiku.toUpperCase()}!`), answer: "Another haiku" }); // exact duplicate after normalization
    add(4, { prompt: user(`${haiku}, please.`), answer: "A third haiku" }); // near duplicate (one word more)
    add(5, { prompt: user("What is the weather in Oslo?"), answer: JSON.stringify(TOOL_CALLS), finishReason: "tool_calls" });
    add(6, {
      prompt: JSON.stringify([
        { role: "developer", content: "You are terse." },
        { role: "user", content: "Weather in Oslo, then advice?" },
        { role: "assistant", content: null, tool_calls: TOOL_CALLS },
        { role: "tool", tool_call_id: "call_1", content: '{"temp": -3}' },
      ]),
      answer: "It is -3 °C: wear a coat.",
    });
    add(7, { prompt: user("Summarise the plot of Hamlet for me."), answer: "bad summary" });
    add(8, { prompt: user("Mail me at jane.doe@example.com about the invoice."), answer: "Sure, jane.doe@example.com." });
    add(9, { prompt: user("Tell a long story about dragons."), answer: "Once upon", finishReason: "length" });
    add(10, { prompt: user("Translate 'good morning' to German."), answer: "Guten Morgen", model: "small" });
    add(11, { prompt: user("Stream a tool call, please."), answer: "", finishReason: "tool_calls" });
    add(12, { prompt: user("Failed request"), status: 502, model: null, answer: null });
    for (let i = 0; i < 40; i++) {
      add(100 + i, {
        prompt: user(`Question number ${i}: how do rivers form deltas near ${i}?`),
        answer: `Answer ${i}`,
        episodeId: `ep-${i % 8}`,
      });
    }
    store.appendShadow(
      makeShadow({
        id: "s10",
        requestId: "r10",
        servedModel: "small",
        shadowModel: "large",
        direction: "up",
        score: 0.8,
        servedScore: 0.2,
        shadowAnswer: "Guten Morgen!",
      }),
    );
    await store.appendFeedback([
      makeFeedback({ id: "f1", requestId: "r1", metric: "correct", value: 0.4, demonstration: "Plants use sunlight to make their food." }),
      makeFeedback({ id: "f7", requestId: "r7", metric: "correct", value: false }),
    ]);
    await store.close();
  });
  afterAll(() => dir.remove());

  it("writes openai-chat examples that are valid chat fine-tuning data, demonstrations first, tool calls kept", async () => {
    const out = dir.file("chat");
    const result = await runCli(
      "export",
      "distill",
      "--db",
      db,
      "--format",
      "openai-chat",
      "--out",
      out,
      "--teacher",
      "large",
      "--pii",
      "email",
    );
    expect(result.code, result.err).toBe(0);
    const examples = [...lines(`${out}/train.jsonl`), ...lines(`${out}/validation.jsonl`)];
    for (const example of examples) expect(chatFineTuningProblems(JSON.stringify(example))).toEqual([]);
    const byPrompt = (text: string) =>
      examples.find((e) =>
        (e.messages as { role: string; content: string }[]).some((m) => m.role === "user" && m.content.includes(text)),
      ) as { messages: { role: string; content: string | null; tool_calls?: unknown }[] } | undefined;
    expect(byPrompt("photosynthesis")?.messages.at(-1)).toEqual({ role: "assistant", content: "Plants use sunlight to make their food." });
    expect(byPrompt("What is the weather")?.messages.at(-1)).toEqual({ role: "assistant", content: null, tool_calls: TOOL_CALLS });
    const withTools = byPrompt("then advice")?.messages;
    expect(withTools?.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool", "assistant"]);
    expect(withTools?.[2]?.tool_calls).toEqual(TOOL_CALLS);
    expect(byPrompt("Mail me")?.messages.map((m) => m.content)).toEqual([
      "Mail me at [REDACTED:email] about the invoice.",
      "Sure, [REDACTED:email].",
    ]);
    expect(byPrompt("Translate")?.messages.at(-1)?.content).toBe("Guten Morgen!"); // the teacher's shadow answer
    expect(byPrompt("Hamlet")).toBeUndefined();
    expect(byPrompt("dragons")).toBeUndefined();
    const summary = JSON.parse(readFileSync(`${out}/summary.json`, "utf8"));
    expect(summary.read).toBe(52);
    expect(summary.written.train + summary.written.validation).toBe(examples.length);
    expect(summary.answers).toEqual({ demonstration: 1, served: examples.length - 2, shadow: 1 });
    expect(summary.dropped).toEqual({
      "not served": 1,
      "duplicate prompt": 1,
      "near-duplicate prompt": 1,
      "score below 0.5": 1,
      "answer cut off (finish_reason length)": 1,
      "tool calls not in the log (streamed)": 1,
    });
    expect(summary.tokens.train).toBeGreaterThan(0);
    expect(result.err).toMatch(/wrote \d+ train \+ \d+ validation examples \(openai-chat\) from 52 requests/);
  });

  it("splits by episode, the same way every time", async () => {
    const a = dir.file("split-a");
    const b = dir.file("split-b");
    await runCli("export", "distill", "--db", db, "--format", "openai-chat", "--out", a, "--validation", "0.3");
    await runCli("export", "distill", "--db", db, "--format", "openai-chat", "--out", b, "--validation", "0.3");
    expect(readFileSync(`${a}/train.jsonl`, "utf8")).toBe(readFileSync(`${b}/train.jsonl`, "utf8"));
    const side = (file: string) =>
      lines(file).flatMap((e) => {
        const match = /Question number (\d+)/.exec(JSON.stringify(e));
        return match ? [Number(match[1]) % 8] : [];
      });
    const train = new Set(side(`${a}/train.jsonl`));
    const validation = new Set(side(`${a}/validation.jsonl`));
    expect(validation.size).toBeGreaterThan(0);
    for (const episode of validation) expect(train.has(episode)).toBe(false);
  });

  it("writes sharegpt and alpaca, dropping what they cannot carry (tool calls)", async () => {
    const share = dir.file("share");
    expect((await runCli("export", "distill", "--db", db, "--format", "sharegpt", "--out", share, "--validation", "0")).code).toBe(0);
    const shared = lines(`${share}/train.jsonl`);
    expect(shared[0]).toEqual({
      conversations: [
        { from: "human", value: "Explain photosynthesis to a child in two sentences." },
        { from: "gpt", value: "Plants use sunlight to make their food." },
      ],
    });
    expect(JSON.parse(readFileSync(`${share}/summary.json`, "utf8")).dropped["tool calls (sharegpt has no place for them)"]).toBe(2);
    const alpaca = dir.file("alpaca");
    expect((await runCli("export", "distill", "--db", db, "--format", "alpaca", "--out", alpaca, "--validation", "0")).code).toBe(0);
    expect(lines(`${alpaca}/train.jsonl`)[0]).toEqual({
      instruction: "Explain photosynthesis to a child in two sentences.",
      input: "",
      output: "Plants use sunlight to make their food.",
    });
  });

  it("keeps near-duplicates apart at a stricter threshold and refuses bad flags", async () => {
    const strict = dir.file("strict");
    await runCli("export", "distill", "--db", db, "--format", "openai-chat", "--out", strict, "--dedup-threshold", "0.99");
    expect(JSON.parse(readFileSync(`${strict}/summary.json`, "utf8")).dropped["near-duplicate prompt"]).toBeUndefined();
    expect((await runCli("export", "distill", "--db", db, "--format", "csv", "--out", strict)).err).toMatch(
      /--format must be one of openai-chat, sharegpt, alpaca/,
    );
    expect((await runCli("export", "distill", "--db", db, "--format", "alpaca", "--out", strict, "--min-score", "2")).err).toMatch(
      /--min-score must be a number in \[0, 1\]/,
    );
  });
});
