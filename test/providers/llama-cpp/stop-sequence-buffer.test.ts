import { describe, expect, it } from "vitest";
import { StopSequenceBuffer } from "../../../src/providers/llama-cpp/stop-sequence-buffer.js";

describe("StopSequenceBuffer", () => {
  it("holds back a stop sequence split across tokens and never emits it", () => {
    const buffer = new StopSequenceBuffer(["END"]);
    expect(buffer.push("hello E")).toEqual({ emit: "hello ", stopped: false });
    expect(buffer.push("N")).toEqual({ emit: "", stopped: false });
    expect(buffer.push("D and more")).toEqual({ emit: "", stopped: true });
  });

  it("releases held text when it turns out not to be a stop sequence", () => {
    const buffer = new StopSequenceBuffer(["END"]);
    expect(buffer.push("E")).toEqual({ emit: "", stopped: false });
    expect(buffer.push("X")).toEqual({ emit: "EX", stopped: false });
    expect(buffer.push("EN")).toEqual({ emit: "", stopped: false });
    expect(buffer.flush()).toBe("EN");
  });

  it("stops at the earliest of several stop sequences", () => {
    const buffer = new StopSequenceBuffer(["\n\n", "User:"]);
    expect(buffer.push("a User: b\n\nc")).toEqual({ emit: "a ", stopped: true });
  });

  it("passes everything through without stop sequences", () => {
    const buffer = new StopSequenceBuffer([]);
    expect(buffer.push("abc")).toEqual({ emit: "abc", stopped: false });
  });
});
