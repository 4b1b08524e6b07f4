import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  ClientAbortError,
  ConnectionError,
  ContentFilterError,
  ContextLengthError,
  InvalidRequestError,
  RateLimitError,
  RightsizeError,
  StreamInterruptedError,
  TimeoutError,
  UpstreamError,
} from "../../src/core/errors.js";
import type { LanguageModel } from "../../src/core/language-model.js";
import type { StreamPart } from "../../src/core/stream-part.js";
import { simText } from "../support/sim-scenario.js";
import { startUpstreamSimulator, type SimRequest, type UpstreamSimulator } from "../support/upstream-simulator.js";
import { collectStream, signal, textOf, userRequest } from "./collect-stream.js";

export interface ConformanceTarget {
  name: string;
  /** A model talking to the simulator with this key. */
  createModel(baseUrl: string, apiKey: string): LanguageModel;
  /** Whether the upstream request asked for JSON output. */
  askedForJson(request: SimRequest): boolean;
  /** The upstream error class a mid-stream error frame of the simulator maps to. */
  errorFrameClass: typeof RightsizeError;
}

const KEY = "sk-conformance-secret-0123456789";
const WEATHER_TOOL = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};

async function expectRejects(promise: Promise<unknown>): Promise<RightsizeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RightsizeError);
  return error as RightsizeError;
}

/** The behaviour every HTTP provider must show against the upstream simulator. */
export function describeProviderConformance(target: ConformanceTarget): void {
  describe(`${target.name} provider conformance`, () => {
    let sim: UpstreamSimulator;
    let model: LanguageModel;
    beforeAll(async () => {
      sim = await startUpstreamSimulator({ apiKey: KEY });
      model = target.createModel(sim.baseUrl, KEY);
    });
    afterEach(() => sim.reset());
    afterAll(async () => {
      await model.close?.();
      await sim.close();
    });

    it("generates text with the upstream's usage", async () => {
      sim.script({ content: "Paris is the capital.", promptTokens: 12, completionTokens: 5 });
      const result = await model.generate(userRequest("capital of France?"), { signal: signal() });
      expect(result.choices[0]?.message.content).toBe("Paris is the capital.");
      expect(result.choices[0]?.finish_reason).toBe("stop");
      expect(result.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 });
      expect(result.usage.estimated).toBeUndefined();
      expect(sim.requests[0]?.model).toBe(model.upstreamModel);
    });

    it("estimates usage when the upstream sends none", async () => {
      sim.script({ content: "abcdefgh", omitUsage: true }, { content: "abcdefgh", omitUsage: true });
      const result = await model.generate(userRequest("12345678"), { signal: signal() });
      expect(result.usage.estimated).toBe(true);
      expect(result.usage.completion_tokens).toBe(2);
      const { parts, error } = await collectStream(model.stream(userRequest("12345678"), { signal: signal() }));
      expect(error).toBeUndefined();
      const usage = parts.find((p) => p.type === "usage");
      expect(usage?.type === "usage" && usage.usage.estimated).toBe(true);
    });

    it("streams text: start, deltas, finish, usage", async () => {
      sim.script({ content: "one two three four", promptTokens: 3, completionTokens: 4 });
      const { parts, error } = await collectStream(model.stream(userRequest("count"), { signal: signal() }));
      expect(error).toBeUndefined();
      expect(parts[0]?.type).toBe("start");
      expect(textOf(parts)).toBe("one two three four");
      expect(parts.filter((p) => p.type === "text-delta").length).toBe(4);
      expect(parts).toContainEqual({ type: "finish", choice: 0, finishReason: "stop" });
      const usage = parts.find((p) => p.type === "usage");
      expect(usage).toMatchObject({ type: "usage", usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } });
    });

    it("generates and streams tool calls", async () => {
      const call = { id: "call_abc", name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' };
      sim.script({ toolCalls: [call] }, { toolCalls: [call] });
      const request = userRequest("weather in Paris?", { tools: [WEATHER_TOOL], tool_choice: "auto" });
      const result = await model.generate(request, { signal: signal() });
      expect(result.choices[0]?.finish_reason).toBe("tool_calls");
      const toolCall = result.choices[0]?.message.tool_calls?.[0];
      expect(toolCall?.function.name).toBe("get_weather");
      expect(JSON.parse(toolCall?.function.arguments ?? "")).toEqual({ city: "Paris", unit: "celsius" });
      const { parts, error } = await collectStream(model.stream(request, { signal: signal() }));
      expect(error).toBeUndefined();
      const deltas = parts.filter((p): p is Extract<StreamPart, { type: "tool-call-delta" }> => p.type === "tool-call-delta");
      expect(deltas[0]).toMatchObject({ toolIndex: 0, id: "call_abc", name: "get_weather" });
      expect(JSON.parse(deltas.map((d) => d.argumentsDelta).join(""))).toEqual({ city: "Paris", unit: "celsius" });
      expect(parts).toContainEqual({ type: "finish", choice: 0, finishReason: "tool_calls" });
      expect(sim.requests[0]?.body).toHaveProperty("tools");
    });

    it("passes JSON mode on to the upstream", async () => {
      sim.script({ content: '{"a":1}' });
      const result = await model.generate(userRequest("json please", { response_format: { type: "json_object" } }), { signal: signal() });
      expect(JSON.parse(result.choices[0]?.message.content ?? "")).toEqual({ a: 1 });
      expect(target.askedForJson(sim.requests[0] as SimRequest)).toBe(true);
    });

    describe("maps upstream errors", () => {
      it("429 with retry-after → RateLimitError with retryAfterMs", async () => {
        sim.script("rate-limit-retry-after:2", "rate-limit-retry-after-ms:150", "rate-limit");
        const first = await expectRejects(model.generate(userRequest("x"), { signal: signal() }));
        expect(first).toBeInstanceOf(RateLimitError);
        expect(first).toMatchObject({ status: 429, isRetryable: true, retryAfterMs: 2000, upstreamStatus: 429 });
        const second = await expectRejects(model.generate(userRequest("x"), { signal: signal() }));
        expect(second.retryAfterMs).toBe(150);
        const third = await expectRejects(
          collectStream(model.stream(userRequest("x"), { signal: signal() })).then((r) => Promise.reject(r.error)),
        );
        expect(third).toBeInstanceOf(RateLimitError);
        expect(third.retryAfterMs).toBeUndefined();
      });

      it("500 and 503 → retryable UpstreamError", async () => {
        sim.script("server-error", "unavailable");
        for (const status of [500, 503]) {
          const error = await expectRejects(model.generate(userRequest("x"), { signal: signal() }));
          expect(error).toBeInstanceOf(UpstreamError);
          expect(error).toMatchObject({ isRetryable: true, upstreamStatus: status });
        }
      });

      it("400 context length → ContextLengthError; content filter → ContentFilterError; prefill rejected → InvalidRequestError", async () => {
        sim.script("context-length", "content-filter", "reject-prefill");
        expect(await expectRejects(model.generate(userRequest("long prompt"), { signal: signal() }))).toBeInstanceOf(ContextLengthError);
        const filtered = await expectRejects(model.generate(userRequest("bad"), { signal: signal() }));
        expect(filtered).toBeInstanceOf(ContentFilterError);
        expect(filtered.isRetryable).toBe(false);
        const prefill = userRequest("go on", {
          messages: [
            { role: "user", content: "go on" },
            { role: "assistant", content: "Once", prefix: true },
          ],
        });
        expect(await expectRejects(model.generate(prefill, { signal: signal() }))).toBeInstanceOf(InvalidRequestError);
      });

      it("TCP reset before the response → ConnectionError", async () => {
        sim.script("reset", "reset");
        expect(await expectRejects(model.generate(userRequest("x"), { signal: signal() }))).toBeInstanceOf(ConnectionError);
        const { error } = await collectStream(model.stream(userRequest("x"), { signal: signal() }));
        expect(error).toBeInstanceOf(ConnectionError);
      });

      it("never puts the upstream API key in an error message", async () => {
        const wrongKey = "sk-wrong-secret-key-abcdef987654";
        const wrong = target.createModel(sim.baseUrl, wrongKey);
        try {
          const error = await expectRejects(wrong.generate(userRequest("x"), { signal: signal() }));
          expect(error).toBeInstanceOf(AuthenticationError);
          expect(error.message).toContain("401");
          expect(error.message).not.toContain(wrongKey);
          expect(error.message).not.toContain("abcdef987654");
          expect(String(sim.requests[0]?.headers["x-api-key"] ?? sim.requests[0]?.headers.authorization)).toContain(wrongKey);
        } finally {
          await wrong.close?.();
        }
      });
    });

    describe("non-stream faults", () => {
      it("a body cut halfway → ConnectionError; a body that is not JSON → UpstreamError", async () => {
        sim.script("cut", "malformed");
        expect(await expectRejects(model.generate(userRequest("x"), { signal: signal() }))).toBeInstanceOf(ConnectionError);
        expect(await expectRejects(model.generate(userRequest("x"), { signal: signal() }))).toBeInstanceOf(UpstreamError);
      });

      it("a stalled body is cancelled by the signal (the simulator sees the disconnect)", async () => {
        sim.script("stall");
        const controller = new AbortController();
        const pending = model.generate(userRequest("x"), { signal: controller.signal });
        await sim.waitForRequests(1);
        setTimeout(() => controller.abort(new TimeoutError("attempt deadline")), 20);
        const error = await expectRejects(pending);
        expect(error).toBeInstanceOf(TimeoutError);
        expect(error.message).toBe("attempt deadline");
        expect((await sim.whenClosed(sim.requests[0] as SimRequest)).disconnected).toBe(true);
      });
    });

    describe("stream faults", () => {
      it("abort cancels the upstream request (the simulator sees the disconnect)", async () => {
        sim.script({ content: simText(50), chunkDelayMs: 20 }, "silence");
        const controller = new AbortController();
        const iterator = model.stream(userRequest("x"), { signal: controller.signal })[Symbol.asyncIterator]();
        expect((await iterator.next()).value?.type).toBe("start");
        controller.abort();
        await expect(iterator.next()).rejects.toBeInstanceOf(ClientAbortError);
        const closed = await sim.whenClosed(sim.requests[0] as SimRequest);
        expect(closed.disconnected).toBe(true);

        const generateAbort = new AbortController();
        const pending = model.generate(userRequest("x"), { signal: generateAbort.signal });
        await sim.waitForRequests(2);
        generateAbort.abort();
        expect(await expectRejects(pending)).toBeInstanceOf(ClientAbortError);
        expect((await sim.whenClosed(sim.requests[1] as SimRequest)).disconnected).toBe(true);
      });

      it("no first token within firstTokenTimeoutMs → TimeoutError from the first next()", async () => {
        sim.script({ firstTokenDelayMs: 400 });
        const iterator = model.stream(userRequest("x"), { signal: signal(), firstTokenTimeoutMs: 40 })[Symbol.asyncIterator]();
        const error = await iterator.next().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(TimeoutError);
        expect((await sim.whenClosed(sim.requests[0] as SimRequest)).disconnected).toBe(true);
      });

      it("silence after the first part beyond idleTimeoutMs → StreamInterruptedError", async () => {
        sim.script({ content: simText(10), fault: "stall", afterTokens: 3 });
        const { parts, error } = await collectStream(
          model.stream(userRequest("x"), { signal: signal(), firstTokenTimeoutMs: 1000, idleTimeoutMs: 60 }),
        );
        expect(error).toBeInstanceOf(StreamInterruptedError);
        expect(textOf(parts)).toBe(simText(3));
        expect((await sim.whenClosed(sim.requests[0] as SimRequest)).disconnected).toBe(true);
      });

      it("a connection cut mid-stream → StreamInterruptedError after the parts already sent", async () => {
        sim.script({ content: simText(60), fault: "cut", afterTokens: 40 });
        const { parts, error } = await collectStream(model.stream(userRequest("x"), { signal: signal() }));
        expect(error).toBeInstanceOf(StreamInterruptedError);
        expect(textOf(parts)).toBe(simText(40));
        expect(parts.some((p) => p.type === "finish")).toBe(false);
      });

      it("a malformed chunk → StreamInterruptedError", async () => {
        sim.script({ content: simText(10), fault: "malformed", afterTokens: 4 });
        const { parts, error } = await collectStream(model.stream(userRequest("x"), { signal: signal() }));
        expect(error).toBeInstanceOf(StreamInterruptedError);
        expect(textOf(parts)).toBe(simText(4));
      });

      it("a body that ends without its terminator → StreamInterruptedError", async () => {
        sim.script({ content: simText(10), fault: "missing-done", afterTokens: 6 });
        const { parts, error } = await collectStream(model.stream(userRequest("x"), { signal: signal() }));
        expect(error).toBeInstanceOf(StreamInterruptedError);
        expect(textOf(parts)).toBe(simText(6));
      });

      it("a complete answer whose terminator alone is missing is accepted", async () => {
        sim.script({ content: simText(5), omitDone: true });
        const { parts, error } = await collectStream(model.stream(userRequest("x"), { signal: signal() }));
        expect(error).toBeUndefined();
        expect(textOf(parts)).toBe(simText(5));
        expect(parts.some((p) => p.type === "usage")).toBe(true);
      });

      it("an in-band error frame mid-stream → the mapped error", async () => {
        sim.script({ content: simText(10), fault: "error-frame", afterTokens: 2 });
        const { parts, error } = await collectStream(model.stream(userRequest("x"), { signal: signal() }));
        expect(error).toBeInstanceOf(target.errorFrameClass);
        expect((error as RightsizeError).isRetryable).toBe(true);
        expect(textOf(parts)).toBe(simText(2));
      });
    });
  });
}
