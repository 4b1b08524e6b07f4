import { describe, expect, it } from "vitest";
import { parseRequestIdentity } from "../../src/server/request-identity.js";

describe("a request's episode and tags", () => {
  it("reads the episode header, and tags from the header and the body's metadata, trimmed, deduplicated and sorted", () => {
    expect(
      parseRequestIdentity(
        { "x-rightsize-episode": "  task-1 ", "x-rightsize-tags": "b, a,,team=x, a" },
        { metadata: { team: "x", app: "docs" } },
      ),
    ).toEqual({ episodeId: "task-1", tags: ["a", "app=docs", "b", "team=x"] });
    expect(parseRequestIdentity({}, { messages: [] })).toEqual({});
    expect(parseRequestIdentity({ "x-rightsize-episode": "" }, { metadata: null })).toEqual({});
  });

  it("refuses bad values with a 400 naming the header or field", () => {
    const fails = (headers: Record<string, string>, body: unknown) => {
      try {
        parseRequestIdentity(headers, body);
      } catch (error) {
        return { status: (error as { status: number }).status, param: (error as { param: string }).param };
      }
      return undefined;
    };
    expect(fails({ "x-rightsize-episode": "a".repeat(201) }, {})).toEqual({ status: 400, param: "x-rightsize-episode" });
    expect(fails({ "x-rightsize-episode": "tab\there" }, {})).toEqual({ status: 400, param: "x-rightsize-episode" });
    expect(fails({ "x-rightsize-tags": "ok, caf\u00e9" }, {})).toEqual({ status: 400, param: "x-rightsize-tags" });
    expect(fails({ "x-rightsize-tags": Array.from({ length: 33 }, (_, i) => `t${i}`).join(",") }, {})).toEqual({
      status: 400,
      param: "x-rightsize-tags",
    });
    expect(fails({}, { metadata: ["a"] })).toEqual({ status: 400, param: "metadata" });
    expect(fails({}, { metadata: { n: 1 } })).toEqual({ status: 400, param: "metadata.n" });
  });
});
