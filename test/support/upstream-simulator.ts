import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FastCache } from "./sim-fast-cache.js";
import { handleEmbeddings, handleModels } from "./sim-misc-endpoints.js";
import { simScenario, type SimScenario } from "./sim-scenario.js";
import { answerChat, type SimWire } from "./sim-chat-handler.js";
import { closedByServer, cut, JSON_HEADERS } from "./sim-response-writer.js";
import { mulberry32 } from "./mulberry32.js";

/**
 * A real loopback HTTP server speaking OpenAI Chat Completions, embeddings, models and
 * Anthropic Messages (JSON and SSE), scriptable per request. Which scenario a request gets:
 * the `x-sim-scenario` header (a preset name, see simScenario), else the next scripted one
 * for its model, else the next scripted one for any model, else what the responder (if set)
 * makes of the request's body, else the seeded fault mix, else the model's default, else the
 * global default (a plain success).
 */
export interface SimRequest {
  index: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined for GET or unparseable bodies). */
  body: unknown;
  model: string | undefined;
  stream: boolean;
  scenario: SimScenario;
  /** The client closed the connection before the answer was complete. */
  disconnected: boolean;
  /** The exchange is over (answered, cut, or the client left). */
  closed: boolean;
}

export interface FaultMix {
  /** Share of requests that get a fault, in [0, 1]. */
  rate: number;
  seed: number;
  /** Faults picked uniformly (preset names or scenarios). */
  faults: (SimScenario | string)[];
}

export interface UpstreamSimulatorOptions {
  port?: number;
  host?: string;
  /** Keep received requests in `requests` (default true; the last 10,000). */
  record?: boolean;
  /** When set, requests must carry this key (Bearer or x-api-key), else 401. */
  apiKey?: string;
  /** Names listed by GET /v1/models. */
  models?: string[];
}

/** Picks a scenario from the request itself (e.g. answer quality by prompt family); undefined = no opinion. */
export type SimResponder = (input: { model: string | undefined; body: unknown; path: string }) => SimScenario | string | undefined;

export interface UpstreamSimulator {
  url: string;
  baseUrl: string;
  port: number;
  requests: SimRequest[];
  /** Queues scenarios for the next requests (any model), in order. */
  script(...scenarios: (SimScenario | string)[]): void;
  /** Queues scenarios for the next requests naming `model`. */
  scriptFor(model: string, ...scenarios: (SimScenario | string)[]): void;
  /** The scenario used when nothing is scripted (for one model, or for all). */
  setDefault(scenario: SimScenario | string, model?: string): void;
  setFaultMix(mix: FaultMix | undefined): void;
  /** Chooses scenarios from the request body (after scripts, before the fault mix and defaults). */
  setResponder(responder: SimResponder | undefined): void;
  /** Forgets scripts, defaults, the fault mix, the responder and recorded requests. */
  reset(): void;
  /** Resolves once `count` requests have been received (since the last reset). */
  waitForRequests(count: number): Promise<SimRequest[]>;
  /** Resolves once the request's exchange is over (see `disconnected`). */
  whenClosed(request: SimRequest): Promise<SimRequest>;
  close(): Promise<void>;
}

const MAX_RECORDED = 10_000;
const presets = new Map<string, SimScenario>();

function toScenario(value: SimScenario | string): SimScenario {
  if (typeof value !== "string") return value;
  let scenario = presets.get(value);
  if (!scenario) {
    scenario = simScenario(value);
    presets.set(value, scenario);
  }
  return scenario;
}

export async function startUpstreamSimulator(options: UpstreamSimulatorOptions = {}): Promise<UpstreamSimulator> {
  const record = options.record ?? true;
  const requests: SimRequest[] = [];
  const queue: SimScenario[] = [];
  const modelQueues = new Map<string, SimScenario[]>();
  const modelDefaults = new Map<string, SimScenario>();
  let globalDefault: SimScenario = {};
  let mix: { rate: number; random: () => number; faults: SimScenario[] } | undefined;
  let responder: SimResponder | undefined;
  let received = 0;
  const countWaiters: { count: number; resolve: () => void }[] = [];
  const closeWaiters = new Map<SimRequest, (() => void)[]>();
  const cache = new FastCache();

  function pick(model: string | undefined, headers: IncomingHttpHeaders, body?: unknown, path = ""): SimScenario {
    const named = headers["x-sim-scenario"];
    if (typeof named === "string" && named !== "") return toScenario(named);
    if (model !== undefined) {
      const scripted = modelQueues.get(model)?.shift();
      if (scripted) return scripted;
    }
    const next = queue.shift();
    if (next) return next;
    const answered = responder?.({ model, body, path });
    if (answered !== undefined) return toScenario(answered);
    if (mix && mix.random() < mix.rate && mix.faults.length > 0) {
      return mix.faults[Math.floor(mix.random() * mix.faults.length)] as SimScenario;
    }
    return (model !== undefined ? modelDefaults.get(model) : undefined) ?? globalDefault;
  }

  function track(req: IncomingMessage, res: ServerResponse, body: unknown, scenario: SimScenario): void {
    received++;
    if (record) {
      const fields = typeof body === "object" && body !== null ? (body as { model?: unknown; stream?: unknown }) : {};
      const entry: SimRequest = {
        index: received - 1,
        method: req.method ?? "GET",
        path: req.url ?? "",
        headers: req.headers,
        body,
        model: typeof fields.model === "string" ? fields.model : undefined,
        stream: fields.stream === true,
        scenario,
        disconnected: false,
        closed: false,
      };
      requests.push(entry);
      if (requests.length > MAX_RECORDED) requests.splice(0, MAX_RECORDED >> 1);
      res.on("close", () => {
        entry.closed = true;
        entry.disconnected = !res.writableFinished && !closedByServer.has(res);
        const waiters = closeWaiters.get(entry);
        if (waiters) {
          closeWaiters.delete(entry);
          for (const resolve of waiters) resolve();
        }
      });
    }
    if (countWaiters.length > 0) {
      for (let i = countWaiters.length - 1; i >= 0; i--) {
        const waiter = countWaiters[i] as { count: number; resolve: () => void };
        if (received >= waiter.count) {
          countWaiters.splice(i, 1);
          waiter.resolve();
        }
      }
    }
  }

  function authorized(req: IncomingMessage, wire: SimWire, res: ServerResponse): boolean {
    if (options.apiKey === undefined) return true;
    const given = wire === "anthropic" ? req.headers["x-api-key"] : req.headers.authorization?.replace(/^Bearer /, "");
    if (given === options.apiKey) return true;
    const message = `Incorrect API key provided: ${String(given)}.`;
    const body =
      wire === "anthropic"
        ? JSON.stringify({ type: "error", error: { type: "authentication_error", message } })
        : JSON.stringify({ error: { message, type: "invalid_request_error", param: null, code: "invalid_api_key" } });
    res.writeHead(401, JSON_HEADERS).end(body);
    return false;
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = req.url ?? "";
    const path = url.includes("?") ? url.slice(0, url.indexOf("?")) : url;
    const wire: SimWire | undefined =
      path === "/v1/chat/completions" || path === "/chat/completions"
        ? "openai"
        : path === "/v1/messages" || path === "/messages"
          ? "anthropic"
          : undefined;
    if (req.method === "GET" && (path === "/v1/models" || path === "/models")) {
      track(req, res, undefined, globalDefault);
      handleModels(res, options.models ?? ["sim-small", "sim-medium", "sim-large"]);
      return;
    }
    let body: unknown;
    try {
      body = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      track(req, res, undefined, globalDefault);
      res.writeHead(400, JSON_HEADERS).end(
        JSON.stringify({
          error: { message: "We could not parse the JSON body of your request.", type: "invalid_request_error", param: null, code: null },
        }),
      );
      return;
    }
    const model = typeof body === "object" && body !== null ? (body as { model?: unknown }).model : undefined;
    const scenario = pick(typeof model === "string" ? model : undefined, req.headers, body, path);
    track(req, res, body, scenario);
    if (scenario.fault === "reset") {
      cut(res);
      return;
    }
    if (scenario.fault === "silence") return;
    if (path === "/v1/embeddings" || path === "/embeddings") {
      if (authorized(req, "openai", res)) handleEmbeddings(res, body);
      return;
    }
    if (wire === undefined || req.method !== "POST") {
      res.writeHead(404, JSON_HEADERS).end(
        JSON.stringify({
          error: {
            message: `Unknown request URL: ${req.method} ${path}`,
            type: "invalid_request_error",
            param: null,
            code: "unknown_url",
          },
        }),
      );
      return;
    }
    if (!authorized(req, wire, res)) return;
    answerChat(wire, res, body, raw.length, scenario, cache).catch(() => res.destroy());
  }

  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      raw += chunk;
    });
    req.on("end", () => {
      try {
        handle(req, res, raw);
      } catch (error) {
        // A simulator bug must not take the server down mid-test: answer 500 and keep serving.
        if (!res.headersSent)
          res
            .writeHead(500, JSON_HEADERS)
            .end(
              JSON.stringify({ error: { message: `simulator error: ${String(error)}`, type: "server_error", param: null, code: null } }),
            );
        else res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;

  return {
    url,
    baseUrl: `${url}/v1`,
    port,
    requests,
    script: (...scenarios) => queue.push(...scenarios.map(toScenario)),
    scriptFor: (model, ...scenarios) => {
      const list = modelQueues.get(model) ?? [];
      list.push(...scenarios.map(toScenario));
      modelQueues.set(model, list);
    },
    setDefault: (scenario, model) => {
      if (model === undefined) globalDefault = toScenario(scenario);
      else modelDefaults.set(model, toScenario(scenario));
    },
    setResponder: (value) => {
      responder = value;
    },
    setFaultMix: (value) => {
      mix = value && { rate: value.rate, random: mulberry32(value.seed), faults: value.faults.map(toScenario) };
    },
    reset: () => {
      queue.length = 0;
      modelQueues.clear();
      modelDefaults.clear();
      globalDefault = {};
      mix = undefined;
      responder = undefined;
      requests.length = 0;
      received = 0;
    },
    waitForRequests: (count) =>
      received >= count
        ? Promise.resolve(requests)
        : new Promise((resolve) => countWaiters.push({ count, resolve: () => resolve(requests) })),
    whenClosed: (request) =>
      request.closed
        ? Promise.resolve(request)
        : new Promise((resolve) => {
            const list = closeWaiters.get(request) ?? [];
            list.push(() => resolve(request));
            closeWaiters.set(request, list);
          }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
