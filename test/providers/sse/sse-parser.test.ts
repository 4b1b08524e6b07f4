import { describe, expect, it } from "vitest";
import { SseParser, type SseEvent } from "../../../src/providers/sse/sse-parser.js";

function parse(chunks: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((event) => events.push(event));
  for (const chunk of chunks) parser.feed(chunk);
  return events;
}

const STREAM = 'event: message_start\ndata: {"a":1}\n\n: keep-alive comment\n\ndata: first\ndata: second\nid: 7\n\ndata:no-space\n\n';
const EXPECTED: SseEvent[] = [
  { event: "message_start", data: '{"a":1}', id: undefined },
  { event: "message", data: "first\nsecond", id: "7" },
  { event: "message", data: "no-space", id: "7" },
];

describe("SseParser", () => {
  it("parses events, multi-line data, ids and named events", () => {
    expect(parse([STREAM])).toEqual(EXPECTED);
  });

  it("gives the same events however the stream is split across chunks", () => {
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < STREAM.length; i += size) chunks.push(STREAM.slice(i, i + size));
      expect(parse(chunks)).toEqual(EXPECTED);
    }
  });

  it("handles CRLF and lone CR line ends, including a CR and LF split between chunks", () => {
    expect(parse(["data: a\r\n\r\ndata: b\r\r"])).toEqual([
      { event: "message", data: "a", id: undefined },
      { event: "message", data: "b", id: undefined },
    ]);
    expect(parse(["data: x\r", "\n\r", "\ndata: y\r\n", "\r\n"])).toEqual([
      { event: "message", data: "x", id: undefined },
      { event: "message", data: "y", id: undefined },
    ]);
  });

  it("ignores comments and events without data, and strips a leading BOM", () => {
    expect(parse(["\uFEFF: ping\n\nevent: ping\n\ndata: [DONE]\n\n"])).toEqual([{ event: "message", data: "[DONE]", id: undefined }]);
  });

  it("keeps an unterminated event pending instead of dispatching it", () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((event) => events.push(event));
    parser.feed("data: partial");
    expect(events).toEqual([]);
    expect(parser.hasPending()).toBe(true);
    parser.feed("\n\n");
    expect(events).toEqual([{ event: "message", data: "partial", id: undefined }]);
    expect(parser.hasPending()).toBe(false);
  });
});
