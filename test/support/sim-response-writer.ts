import type { ServerResponse } from "node:http";
import type { SimFrames } from "./sim-openai-wire.js";
import type { SimScenario } from "./sim-scenario.js";

/** Writes simulator answers (JSON or SSE) with the scenario's delays and faults. */
export const JSON_HEADERS = { "content-type": "application/json" };
export const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" };

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function writeAsync(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) resolve();
    else res.write(data, () => resolve());
  });
}

/** Responses whose connection the simulator itself closed (cut / reset), not the client. */
export const closedByServer = new WeakSet<ServerResponse>();

/** Destroys the connection once everything written so far is flushed (the client reads it, then EOF). */
export function cut(res: ServerResponse): void {
  closedByServer.add(res);
  res.socket?.destroy();
}

export interface FaultFrames {
  error: string;
  malformed: string;
}

function withHeaders(base: Record<string, string>, scenario: SimScenario): Record<string, string> {
  return scenario.headers ? { ...base, ...scenario.headers } : base;
}

export async function writeJson(
  res: ServerResponse,
  status: number,
  body: string,
  scenario: SimScenario,
  faultBodies: FaultFrames,
): Promise<void> {
  const wait = (scenario.latencyMs ?? 0) + (scenario.firstTokenDelayMs ?? 0);
  if (wait > 0) {
    await sleep(wait);
    if (res.destroyed) return;
  }
  const headers = withHeaders(JSON_HEADERS, scenario);
  switch (status < 400 ? scenario.fault : undefined) {
    case "cut":
    case "stall": {
      res.writeHead(200, { ...headers, "content-length": String(Buffer.byteLength(body)) });
      await writeAsync(res, body.slice(0, body.length >> 1));
      if (scenario.fault === "cut") cut(res);
      return;
    }
    case "malformed":
      res.writeHead(200, headers).end(faultBodies.malformed);
      return;
    case "error-frame":
      res.writeHead(500, headers).end(faultBodies.error);
      return;
    default:
      res.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(body)) }).end(body);
  }
}

/** Writes an SSE answer; returns when it is written, cut, or left stalled. */
export async function writeSse(res: ServerResponse, frames: SimFrames, scenario: SimScenario, faults: FaultFrames): Promise<void> {
  if (scenario.latencyMs) {
    await sleep(scenario.latencyMs);
    if (res.destroyed) return;
  }
  res.writeHead(200, withHeaders(SSE_HEADERS, scenario));
  const fault = scenario.fault;
  const tail = scenario.omitDone ? frames.tail.slice(0, -1) : frames.tail;
  if (!fault && !scenario.firstTokenDelayMs && !scenario.chunkDelayMs) {
    res.end(frames.head.join("") + frames.tokens.join("") + tail.join(""));
    return;
  }
  res.flushHeaders();
  if (scenario.firstTokenDelayMs) {
    await sleep(scenario.firstTokenDelayMs);
    if (res.destroyed) return;
  }
  const tokens = frames.tokens;
  const at = fault ? Math.min(scenario.afterTokens ?? tokens.length >> 1, tokens.length) : -1;
  let pending = frames.head.join("");
  for (let i = 0; i <= tokens.length; i++) {
    if (i === at) {
      if (fault === "malformed") pending += faults.malformed;
      else {
        await writeAsync(res, pending);
        if (fault === "cut") cut(res);
        else if (fault === "missing-done") res.end();
        else if (fault === "error-frame") res.end(faults.error);
        return; // stall: leave the socket open and silent
      }
    }
    if (i === tokens.length) break;
    if (scenario.chunkDelayMs && i > 0) {
      await writeAsync(res, pending);
      pending = "";
      await sleep(scenario.chunkDelayMs);
      if (res.destroyed) return;
    }
    pending += tokens[i];
  }
  if (res.destroyed) return;
  res.end(pending + tail.join(""));
}
