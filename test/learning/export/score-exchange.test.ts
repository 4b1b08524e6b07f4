import { describe, expect, it } from "vitest";
import { scoreExchange } from "../../../src/learning/export/score-exchange.js";
import type { LoggedExchange } from "../../../src/storage/request-log-store.js";
import { makeFeedback, makeShadow } from "../../storage/feedback-fixtures.js";
import { makeRecord } from "../../storage/request-log-fixtures.js";

function exchange(parts: Partial<LoggedExchange>): LoggedExchange {
  return {
    request: makeRecord({ id: "req-1", model: "large", episodeId: "ep-1" }),
    feedback: [],
    episodeFeedback: [],
    shadows: [],
    ...parts,
  };
}

describe("scoring a logged exchange", () => {
  it("takes the served answer's score from the most trusted feedback source present", () => {
    const scores = scoreExchange(
      exchange({
        feedback: [
          makeFeedback({ id: "a", metric: "helpful", value: true, source: "user" }),
          makeFeedback({ id: "b", metric: "quality", value: 0.4, source: "reviewer" }),
          makeFeedback({ id: "c", metric: "correct", value: 0.6, source: "reviewer" }),
          makeFeedback({ id: "d", metric: "issue", value: "too_long", source: "reviewer" }),
        ],
        shadows: [makeShadow({ servedScore: 0.1, score: 0.9 })],
      }),
    );
    expect(scores.models.get("large")).toEqual({ score: 0.5, evidence: "feedback:reviewer", n: 2 });
    expect(scores.models.get("small")).toEqual({ score: 0.9, evidence: "shadow", n: 1 });
    expect(scores.labels).toBe(1);
  });

  it("falls back to the episode's feedback (of the same caller), then to the judgments' served score", () => {
    const episode = [makeFeedback({ id: "e", requestId: null, episodeId: "ep-1", metric: "task_done", value: false, source: "user" })];
    expect(scoreExchange(exchange({ episodeFeedback: episode })).models.get("large")).toEqual({ score: 0, evidence: "episode:user", n: 1 });
    const foreign = [{ ...episode[0]!, callerId: "team-z" }];
    const judged = exchange({
      episodeFeedback: foreign,
      shadows: [makeShadow({ servedScore: 0.25, score: 0.75 }), makeShadow({ id: "s2", servedScore: 0.75, score: 0.25 })],
    });
    expect(scoreExchange(judged).models.get("large")).toEqual({ score: 0.5, evidence: "shadow", n: 2 });
  });

  it("never scores from an unparseable verdict, and counts it", () => {
    const scores = scoreExchange(exchange({ shadows: [makeShadow({ unparseable: true, score: null, servedScore: null })] }));
    expect(scores.models.size).toBe(0);
    expect(scores.unparseable).toBe(1);
  });

  it("counts only the chosen metrics", () => {
    const feedback = [makeFeedback({ id: "a", metric: "helpful", value: 0.2 }), makeFeedback({ id: "b", metric: "correct", value: 1 })];
    expect(scoreExchange(exchange({ feedback }), { metrics: ["correct"] }).models.get("large")?.score).toBe(1);
    expect(scoreExchange(exchange({ feedback })).models.get("large")?.score).toBeCloseTo(0.6, 12);
  });
});
