import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { stringify } from "yaml";
import { runRetrain } from "../../src/cli/commands/retrain-command.js";
import type { RetrainResult } from "../../src/learning/retrain/retrain-router.js";
import { loadGatewayConfig } from "../../src/server/load-gateway-config.js";
import { type RunningGateway, startGateway } from "../../src/server/start-gateway.js";
import { artifactVersion } from "../../src/routing/artifact-version.js";
import { mulberry32 } from "./mulberry32.js";
import { writeOppositeArtifact } from "./opposite-artifacts.js";
import { qualityResponder } from "./sim-quality-script.js";
import { startUpstreamSimulator, type UpstreamSimulator } from "./upstream-simulator.js";

export type Family = "A" | "B" | "C";
export const ADMIN_KEY = "loop-admin-key-0123456789";
export const CLIENT_KEY = "sk-loop-client-0123456789";
export const ROUTER = "rightsize/learned";

/** One round's figures. */
export interface RoundFigures {
  round: number;
  requests: number;
  /** Share served by the large model. */
  largeShare: number;
  /** Share of answers the judge script calls good (the large model answers every family well). */
  quality: number;
  /** USD per 1,000 requests, as the request log charged them (served answers; shadow spend apart). */
  costPer1k: number;
  /** Outcome rows with scores for both models that the retrain after this round learned from (0 before the first). */
  labelledRows: number;
  /** The retrain after this round, when one ran. */
  retrain?: RetrainResult;
  /** Requests that failed or were not logged exactly once while a promoted router was swapped in. */
  dropped: number;
}

export interface LoopOptions {
  rounds: number;
  requestsPerRound: number;
  /** Share of answered requests the scripted client gives feedback on. */
  feedbackShare: number;
  /** The calibration target of every retrain. */
  target: string;
  seed: number;
  concurrency: number;
  onRound?: (figures: RoundFigures) => void;
}

/** A prompt of a family: A (translations), B (capitals): the small model answers well; C (proofs): it does not. */
export function loopPrompt(family: Family, i: number): string {
  const body =
    family === "A"
      ? `Translate the word number ${i} into French, please`
      : family === "B"
        ? `What is the capital city of country ${i} on the map`
        : `Prove rigorously theorem ${i} about prime numbers by induction`;
  return `${body} [family:${family}]`;
}

/**
 * The learning loop end to end, on real parts: a gateway on a loopback port with a SQLite
 * request log and shadow evaluation, the upstream simulator scripted with answer quality per
 * prompt family (small good at A and B, bad at C; the simulator also judges), a scripted client
 * that sends traffic and feedback through the official OpenAI client, and after every round
 * `rightsize retrain` on the gateway's own log, whose promoted artifact the gateway picks up by
 * its file watch while traffic keeps flowing. The router starts naive: everything to large.
 */
export class LearningLoop {
  readonly dir: string;
  readonly configFile: string;
  readonly artifact: string;
  #sim?: UpstreamSimulator;
  #gateway?: RunningGateway;
  #client?: OpenAI;

  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), "rightsize-loop-"));
    this.configFile = path.join(this.dir, "rightsize.yaml");
    this.artifact = path.join(this.dir, "router.json");
  }

  get gateway(): RunningGateway {
    if (!this.#gateway) throw new Error("start the loop first");
    return this.#gateway;
  }

  /** Starts the gateway; `retrainEvery` adds a retrain schedule for the router (`retrain:` in the config). */
  async start(options: { retrainEvery?: string } = {}): Promise<void> {
    this.#sim = await startUpstreamSimulator();
    this.#sim.setResponder(qualityResponder({ goodAt: { "sim-small": ["A", "B"] }, judge: "sim-judge" }));
    await writeOppositeArtifact(this.artifact, "large");
    const model = (id: string, upstream: string, input: number, output: number, tier: string) => ({
      id,
      provider: "openai-compatible",
      model: upstream,
      baseUrl: this.#sim?.baseUrl,
      price: { input, output },
      tier,
    });
    const config = {
      server: {
        port: 0,
        logLevel: "silent",
        apiKeys: [{ id: "loop", key: CLIENT_KEY }],
        admin: { keys: [ADMIN_KEY], watchArtifacts: true },
      },
      models: [
        model("small", "sim-small", 0.1, 0.2, "small"),
        model("large", "sim-large", 5, 15, "large"),
        model("judge", "sim-judge", 1, 1, "judge"),
      ],
      routers: [{ id: ROUTER, kind: "learned", targets: ["small", "large"], settings: { artifact: "router.json" } }],
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 },
      storage: { path: "requests.db" },
      shadow: {
        routers: { [ROUTER]: { sample: 1 } },
        directions: ["down", "up"],
        judge: { model: "judge" },
        budgetUsdPerDay: 100,
        queueSize: 10_000,
        concurrency: 4,
      },
      drift: { window: 200, minSamples: 50 },
      ...(options.retrainEvery
        ? { retrain: { routers: { [ROUTER]: { every: options.retrainEvery, minNewLabels: 50, target: "large-share=0.45", kind: "knn" } } } }
        : {}),
    };
    writeFileSync(this.configFile, stringify(config));
    const loaded = await loadGatewayConfig(this.configFile, {});
    this.#gateway = await startGateway({ config: loaded.config, configDir: loaded.dir, port: 0, host: "127.0.0.1" });
    this.#client = new OpenAI({ baseURL: `${this.#gateway.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
  }

  /** Sends `families` as requests (`concurrency` at a time) and gives feedback on a share of them. */
  async traffic(families: readonly Family[], options: { concurrency: number; feedbackShare: number; seed: number }) {
    const client = this.#client;
    if (!client) throw new Error("start the loop first");
    const random = mulberry32(options.seed);
    const results: { family: Family; model: string; good: boolean; ok: boolean }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < families.length) {
        const i = next++;
        const family = families[i] ?? "A";
        try {
          const { data, response } = await client.chat.completions
            .create({ model: ROUTER, messages: [{ role: "user", content: loopPrompt(family, options.seed * 100_000 + i) }] })
            .withResponse();
          const text = data.choices[0]?.message.content ?? "";
          const good = text.startsWith("GOOD");
          results.push({ family, model: data.model, good, ok: true });
          if (random() < options.feedbackShare) {
            await fetch(`${this.gateway.url}/v1/feedback`, {
              method: "POST",
              headers: { authorization: `Bearer ${CLIENT_KEY}`, "content-type": "application/json" },
              body: JSON.stringify({ request_id: response.headers.get("x-request-id"), metric: "correct", value: good, source: "user" }),
            });
          }
        } catch {
          results.push({ family, model: "", good: false, ok: false });
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    return results;
  }

  /** Waits until every shadow job has finished and the log holds every row. */
  async settle(): Promise<void> {
    await this.gateway.gateway.shadow?.whenIdle();
    await this.gateway.gateway.store.flush();
  }

  /** `rightsize retrain` on the gateway's own log (as the CLI runs it). */
  retrain(options: { target: string; seed: number; candidate?: string }): Promise<RetrainResult> {
    return runRetrain({
      config: this.configFile,
      router: ROUTER,
      data: [],
      target: options.target,
      margin: "0.01",
      kind: "knn",
      seed: String(options.seed),
      timeLimit: "60",
      quiet: true,
      ...(options.candidate ? { candidate: options.candidate } : {}),
    });
  }

  /** Waits until the gateway serves the artifact version now in the file (its file watch reloaded it). */
  async servingFileVersion(timeoutMs = 10_000): Promise<string> {
    const want = await artifactVersion(this.artifact);
    const until = Date.now() + timeoutMs;
    for (;;) {
      const serving = this.gateway.gateway.reloader.list().find((router) => router.id === ROUTER)?.version;
      if (serving === want) return want;
      if (Date.now() > until) throw new Error(`the gateway still serves ${serving}, not ${want}`);
      await new Promise((done) => setTimeout(done, 20));
    }
  }

  async status(): Promise<{ warnings: string[] }> {
    const response = await fetch(`${this.gateway.url}/admin/status`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    return (await response.json()) as { warnings: string[] };
  }

  /** Rows the log holds for requests to the router, from `since` (epoch ms). */
  async loggedSince(since: number) {
    await this.settle();
    return (await this.gateway.gateway.store.list({ since, limit: 1_000_000 })).filter((row) => row.router === ROUTER);
  }

  /**
   * Runs the rounds: traffic with feedback → shadow judgments → retrain → promotion picked up
   * by the file watch while the next round's first requests are in flight.
   */
  async run(options: LoopOptions): Promise<RoundFigures[]> {
    const figures: RoundFigures[] = [];
    const mix = (n: number, seed: number): Family[] => {
      const random = mulberry32(seed);
      return Array.from({ length: n }, () => (["A", "B", "C"] as const)[Math.floor(random() * 3)] ?? "A");
    };
    for (let round = 0; round < options.rounds; round++) {
      const started = Date.now();
      const results = await this.traffic(mix(options.requestsPerRound, options.seed + round), {
        concurrency: options.concurrency,
        feedbackShare: options.feedbackShare,
        seed: options.seed + round,
      });
      const rows = await this.loggedSince(started);
      const served = results.filter((r) => r.ok);
      const cost = rows.reduce((sum, row) => sum + row.costUsd, 0);
      const round_: RoundFigures = {
        round,
        requests: results.length,
        largeShare: served.filter((r) => r.model === "sim-large").length / Math.max(1, served.length),
        quality: served.filter((r) => r.good).length / Math.max(1, served.length),
        costPer1k: (cost / Math.max(1, rows.length)) * 1000,
        labelledRows: 0,
        dropped: results.length - served.length,
      };
      if (round < options.rounds - 1) {
        const retrain = await this.retrain({ target: options.target, seed: options.seed });
        round_.retrain = retrain;
        round_.labelledRows = retrain.rows.usable;
        if (retrain.promoted) {
          // The swap happens under load: traffic keeps flowing while the file watch reloads the router.
          const swapStarted = Date.now();
          const during = this.traffic(mix(40, options.seed + 1000 + round), {
            concurrency: options.concurrency,
            feedbackShare: 0,
            seed: 7,
          });
          await this.servingFileVersion();
          const duringResults = await during;
          const logged = await this.loggedSince(swapStarted);
          const ids = new Set(logged.map((row) => row.id));
          round_.dropped +=
            duringResults.filter((r) => !r.ok).length + Math.abs(logged.length - duringResults.length) + (logged.length - ids.size);
        }
      }
      figures.push(round_);
      options.onRound?.(round_);
    }
    return figures;
  }

  async close(): Promise<void> {
    await this.#gateway?.close();
    await this.#sim?.close();
  }
}
