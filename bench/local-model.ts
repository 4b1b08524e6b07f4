/**
 * Local model speed: prompt and generation tokens/s and time to first token for GGUF models
 * run in-process by node-llama-cpp, (a) called directly and (b) through the rightsize gateway
 * over HTTP/SSE (gateway started in this process, loopback), plus aggregate generation
 * throughput with 1, 2 and 4 concurrent streams, and peak RSS. Models are written during the
 * run by ../shared/tools/make-model.mjs (random weights at real shapes, Q8_0, Phi-3 tokenizer):
 * SmolLM2-135M shape and Qwen2.5-0.5B shape. Run with `npm run bench:local-model`.
 * Options: --reps N (default 5), --prompt-words N (default 150), --gen N (default 64),
 * --only smol|qwen|tiny (tiny: only the stories260K TTFT-overhead section).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { parseGatewayConfig as parseConfig } from "../src/server/load-gateway-config.js";
import { defaultThreads, getSharedLlama } from "../src/providers/llama-cpp/llama-runtime.js";
import { renderPrompt } from "../src/providers/llama-cpp/render-prompt.js";
import type { LoadedModel } from "../src/providers/llama-cpp/local-model-host.js";
import { toChatHistory } from "../src/providers/llama-cpp/to-chat-history.js";
import { startGateway } from "../src/server/start-gateway.js";
import { MemoryRequestLogStore } from "../src/storage/memory-request-log-store.js";
import { formatTable } from "./support/latency-stats.js";

const { values } = parseArgs({
  options: {
    reps: { type: "string", default: "5" },
    "prompt-words": { type: "string", default: "150" },
    gen: { type: "string", default: "64" },
    only: { type: "string" },
  },
});
const reps = Number(values.reps);
let promptWords = Number(values["prompt-words"]);
let genTokens = Number(values.gen);
const root = path.resolve(import.meta.dirname, "..");
const shared = process.env.RIGHTSIZE_SHARED ?? path.resolve(root, "../shared");
const work = mkdtempSync(path.join(tmpdir(), "rightsize-local-bench-"));
const threads = defaultThreads();

const SHAPES = [
  { key: "smol", name: "SmolLM2-135M shape Q8_0", args: ["576", "30", "9", "3", "1536"] },
  { key: "qwen", name: "Qwen2.5-0.5B shape Q8_0", args: ["896", "24", "14", "2", "4864"] },
].filter((shape) => !values.only || shape.key === values.only);

interface Run {
  ttftMs: number;
  promptTokens: number;
  completionTokens: number;
  genMs: number;
}

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);

let promptCounter = 0;
/** A fresh prompt each call (a unique first word), so no path profits from a cached prefix. */
function nextPrompt(): string {
  promptCounter += 1;
  const words = "the quick brown fox jumps over a lazy dog while birds sing in the old garden".split(" ");
  const text = Array.from({ length: promptWords }, (_, i) => words[i % words.length]).join(" ");
  return `Request ${promptCounter}: ${text}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function summarise(runs: Run[]): { ttft: number; promptTps: number; genTps: number; bestTtft: number; bestGenTps: number } {
  const genTps = runs.map((run) => (run.completionTokens - 1) / (run.genMs / 1000));
  return {
    ttft: median(runs.map((run) => run.ttftMs)),
    promptTps: median(runs.map((run) => run.promptTokens / (run.ttftMs / 1000))),
    genTps: median(genTps),
    bestTtft: Math.min(...runs.map((run) => run.ttftMs)),
    bestGenTps: Math.max(...genTps),
  };
}

async function directRun(loaded: LoadedModel, sequence: LlamaContextSequence): Promise<Run> {
  const started = performance.now();
  const { history } = toChatHistory([{ role: "user", content: nextPrompt() }]);
  const tokens: Token[] = renderPrompt(loaded, history).tokens;
  await sequence.clearHistory();
  let first = 0;
  let last = 0;
  let count = 0;
  for await (const _token of sequence.evaluate(tokens, { temperature: 0 })) {
    count += 1;
    last = performance.now();
    if (count === 1) first = last;
    if (count >= genTokens) break;
  }
  return { ttftMs: first - started, promptTokens: tokens.length, completionTokens: count, genMs: last - first };
}

async function gatewayRun(url: string): Promise<Run> {
  const started = performance.now();
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: "local",
      messages: [{ role: "user", content: nextPrompt() }],
      temperature: 0,
      max_tokens: genTokens,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  if (!response.ok || !response.body) throw new Error(`gateway answered ${response.status}: ${await response.text()}`);
  let first = 0;
  let last = 0;
  let usage = { prompt_tokens: 0, completion_tokens: 0 };
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    const now = performance.now();
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
      const data = event.startsWith("data: ") ? event.slice(6) : "";
      if (data === "" || data === "[DONE]") continue;
      const parsed = JSON.parse(data) as { choices?: { delta?: { content?: string } }[]; usage?: typeof usage | null };
      if (parsed.choices?.[0]?.delta?.content) {
        if (first === 0) first = now;
        last = now;
      }
      if (parsed.usage) usage = parsed.usage;
    }
  }
  return { ttftMs: first - started, promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, genMs: last - first };
}

async function aggregate(streams: number, one: () => Promise<Run>): Promise<number> {
  const started = performance.now();
  const runs = await Promise.all(Array.from({ length: streams }, () => one()));
  const seconds = (performance.now() - started) / 1000;
  return runs.reduce((sum, run) => sum + run.completionTokens, 0) / seconds;
}

const rows: (string | number)[][] = [];
const concurrencyRows: (string | number)[][] = [];
const f1 = (value: number) => value.toFixed(1);
const ratio = (a: number, b: number) => `${((a / b) * 100).toFixed(1)}%`;

for (const shape of SHAPES) {
  const file = path.join(work, `${shape.key}.gguf`);
  const vocab = path.join(shared, "models", "ggml-vocab-phi-3.gguf");
  execFileSync(process.execPath, [path.join(shared, "tools", "make-model.mjs"), file, vocab, ...shape.args, "Q8_0"], { stdio: "ignore" });

  // (a) node-llama-cpp called directly, in this process; (b) the same file through the gateway
  // (HTTP + SSE on loopback). Both stay loaded and their runs alternate, so the noise of this
  // shared machine falls on both alike.
  const llama = await getSharedLlama();
  const model = await llama.loadModel({ modelPath: file });
  const { resolveChatWrapper } = await import("node-llama-cpp");
  const context = await model.createContext({ contextSize: 2048, sequences: 4, threads });
  const loaded: LoadedModel = {
    llama,
    model,
    releaseModel: () => model.dispose(),
    chatWrapper: resolveChatWrapper(model),
    context,
    contextSize: 2048,
    freeSequences: [],
    embedding: undefined,
  };
  const sequences = Array.from({ length: 4 }, () => context.getSequence());
  const config = parseConfig(
    {
      server: { port: 0, logLevel: "silent" },
      models: [{ id: "local", provider: "llama-cpp", model: file, contextSize: 2048, threads, concurrency: 4 }],
      storage: { path: ":memory:", enabled: false },
    },
    { env: {} },
  );
  const gateway = await startGateway({ config, store: new MemoryRequestLogStore(), port: 0, host: "127.0.0.1" });
  const firstSequence = sequences[0];
  if (!firstSequence) throw new Error("the context has no sequence");
  const directOn = (index: number) => () => directRun(loaded, sequences[index] ?? firstSequence);
  await directOn(0)(); // warm-up
  await gatewayRun(gateway.url); // warm-up (loads the model)
  const direct: Run[] = [];
  const viaGateway: Run[] = [];
  for (let i = 0; i < reps; i += 1) {
    direct.push(await directOn(0)());
    viaGateway.push(await gatewayRun(gateway.url));
  }
  const directAggregate: number[] = [];
  const gatewayAggregate: number[] = [];
  for (const streams of [1, 2, 4]) {
    const d: number[] = [];
    const g: number[] = [];
    for (let i = 0; i < reps; i += 1) {
      let next = 0;
      d.push(await aggregate(streams, () => directOn(next++)()));
      g.push(await aggregate(streams, () => gatewayRun(gateway.url)));
    }
    directAggregate.push(median(d));
    gatewayAggregate.push(median(g));
  }
  await gateway.close();
  await context.dispose();
  await model.dispose();

  const d = summarise(direct);
  const g = summarise(viaGateway);
  rows.push([
    shape.name,
    "direct",
    direct[0]?.promptTokens ?? 0,
    f1(d.promptTps),
    f1(d.genTps),
    f1(d.bestGenTps),
    f1(d.ttft),
    f1(d.bestTtft),
    "100%",
    "-",
  ]);
  rows.push([
    shape.name,
    "gateway",
    viaGateway[0]?.promptTokens ?? 0,
    f1(g.promptTps),
    f1(g.genTps),
    f1(g.bestGenTps),
    f1(g.ttft),
    f1(g.bestTtft),
    `${ratio(g.genTps, d.genTps)} / ${ratio(g.bestGenTps, d.bestGenTps)}`,
    `${(g.ttft - d.ttft).toFixed(1)} / ${(g.bestTtft - d.bestTtft).toFixed(1)} ms`,
  ]);
  [1, 2, 4].forEach((streams, i) => {
    const dTps = directAggregate[i] ?? 0;
    const gTps = gatewayAggregate[i] ?? 0;
    concurrencyRows.push([shape.name, streams, f1(dTps), f1(gTps), ratio(gTps, dTps)]);
  });
}
// TTFT overhead of the gateway alone: stories260K with a short prompt evaluates in about a
// millisecond, so the difference is HTTP + engine + SSE rather than model time.
const storiesPath = path.join(shared, "models", "stories260K.gguf");
const overheadReps = Math.max(20, reps * 4);
const tiny = await (async () => {
  const llama = await getSharedLlama();
  const model = await llama.loadModel({ modelPath: storiesPath });
  const context = await model.createContext({ contextSize: 512, threads });
  const sequence = context.getSequence();
  const loaded: LoadedModel = {
    llama,
    model,
    releaseModel: () => model.dispose(),
    chatWrapper: null,
    context,
    contextSize: 512,
    freeSequences: [],
    embedding: undefined,
  };
  const config = parseConfig(
    {
      server: { port: 0, logLevel: "silent" },
      models: [{ id: "local", provider: "llama-cpp", model: storiesPath, contextSize: 512, threads }],
      storage: { path: ":memory:", enabled: false },
    },
    { env: {} },
  );
  const gateway = await startGateway({ config, store: new MemoryRequestLogStore(), port: 0, host: "127.0.0.1" });
  const saved = { promptWords };
  promptWords = 4;
  await directRun(loaded, sequence);
  await gatewayRun(gateway.url);
  const direct: number[] = [];
  const viaGateway: number[] = [];
  for (let i = 0; i < overheadReps; i += 1) {
    direct.push((await directRun(loaded, sequence)).ttftMs);
    viaGateway.push((await gatewayRun(gateway.url)).ttftMs);
  }
  const savedGen = genTokens;
  genTokens = 300;
  const directGen: Run[] = [];
  const gatewayGen: Run[] = [];
  for (let i = 0; i < reps; i += 1) {
    directGen.push(await directRun(loaded, sequence));
    gatewayGen.push(await gatewayRun(gateway.url));
  }
  genTokens = savedGen;
  promptWords = saved.promptWords;
  await gateway.close();
  await context.dispose();
  await model.dispose();
  return {
    direct: median(direct),
    gateway: median(viaGateway),
    directGen: summarise(directGen).genTps,
    gatewayGen: summarise(gatewayGen).genTps,
  };
})();
clearInterval(rssTimer);
rmSync(work, { recursive: true, force: true });

console.log(
  `\nlocal-model bench: ${reps} reps (median), ${genTokens} generated tokens, threads ${threads}, contextSize 2048; shared machine, timings are noisy`,
);
console.log(
  formatTable(
    [
      "model",
      "path",
      "prompt tok",
      "prompt tok/s",
      "gen tok/s",
      "best gen tok/s",
      "TTFT ms",
      "best TTFT ms",
      "gen vs direct (median / best)",
      "TTFT overhead (median / best)",
    ],
    rows,
  ),
);
console.log("\naggregate generation throughput (tokens/s over all streams, wall clock)");
console.log(formatTable(["model", "streams", "direct", "gateway", "gateway/direct"], concurrencyRows));
console.log(
  `\nTTFT overhead alone (stories260K, 4-word prompt, median of ${overheadReps}): direct ${tiny.direct.toFixed(2)} ms, gateway ${tiny.gateway.toFixed(2)} ms, overhead ${(tiny.gateway - tiny.direct).toFixed(2)} ms`,
);
const perChunkMs = 1000 / tiny.gatewayGen - 1000 / tiny.directGen;
console.log(
  `per-token cost of the gateway path (stories260K, 300 tokens): direct ${tiny.directGen.toFixed(0)} tok/s, gateway ${tiny.gatewayGen.toFixed(0)} tok/s (${ratio(tiny.gatewayGen, tiny.directGen)}), ${perChunkMs.toFixed(3)} ms per token`,
);
console.log(
  `\npeak RSS of the bench process: ${(peakRss / 1024 / 1024).toFixed(0)} MB (targets: gen ≥ 95% of direct, TTFT overhead ≤ 5 ms)`,
);
process.exit(0);
