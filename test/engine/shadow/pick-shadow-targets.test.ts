import { describe, expect, it } from "vitest";
import { pickShadowTargets } from "../../../src/engine/shadow/pick-shadow-targets.js";

const prices: Record<string, number> = { local: 0, small: 1, medium: 5, "medium-twin": 5, large: 20 };
const price = (id: string) => prices[id];

describe("pickShadowTargets", () => {
  it("asks the cheapest cheaper and the dearest dearer model among the router's choices only", () => {
    expect(
      pickShadowTargets({ servedModel: "medium", choosable: ["small", "medium", "large"], price, directions: ["down", "up"] }),
    ).toEqual([
      { model: "small", direction: "down" },
      { model: "large", direction: "up" },
    ]);
    // "local" is cheaper still, but this router cannot choose it.
    expect(pickShadowTargets({ servedModel: "large", choosable: ["small", "medium", "large"], price, directions: ["down"] })).toEqual([
      { model: "small", direction: "down" },
    ]);
  });

  it("finds nothing beyond the ends, for a model priced like the served one, or for an unknown served model", () => {
    expect(pickShadowTargets({ servedModel: "small", choosable: ["small", "large"], price, directions: ["down"] })).toEqual([]);
    expect(pickShadowTargets({ servedModel: "medium", choosable: ["medium", "medium-twin"], price, directions: ["down", "up"] })).toEqual(
      [],
    );
    expect(pickShadowTargets({ servedModel: "ghost", choosable: ["small", "large"], price, directions: ["down", "up"] })).toEqual([]);
  });
});
