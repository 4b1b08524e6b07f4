import type { RequestLogStore } from "../../../src/storage/request-log-store.js";
import { makeFeedback, makeShadow } from "../../storage/feedback-fixtures.js";
import { makeRecord } from "../../storage/request-log-fixtures.js";

export const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);

/** The small model answers chat prompts well and maths prompts badly; the large one both well. */
export function familyOf(i: number): "math" | "chat" {
  return i % 2 === 0 ? "math" : "chat";
}

export function promptOf(i: number): string {
  return familyOf(i) === "math"
    ? `Compute the integral of x^${i % 7} times sin(${i}x) and prove the bound for case ${i}.`
    : `Write a friendly two-line greeting for my colleague number ${i} who likes ${["tea", "chess", "jazz"][i % 3]}.`;
}

/**
 * Writes `n` served requests with feedback and shadow judgments into `store`: even requests are
 * served by large (a downward shadow asks small, judged pairwise), odd ones by small (users rate
 * them; an upward shadow asks large). Returns the ids.
 */
export async function writeLearningLog(store: RequestLogStore, n: number): Promise<string[]> {
  const ids: string[] = [];
  const feedback = [];
  for (let i = 0; i < n; i++) {
    const id = `req-${String(i).padStart(5, "0")}`;
    ids.push(id);
    const family = familyOf(i);
    const servedBy = i % 4 < 2 ? "large" : "small";
    const smallGood = family === "chat";
    store.append(
      makeRecord({
        id,
        time: T0 + i * 1000,
        model: servedBy,
        router: "rightsize/auto",
        episodeId: `ep-${Math.floor(i / 3)}`,
        tags: i % 5 === 0 ? ["team=search"] : undefined,
        prompt: JSON.stringify([{ role: "user", content: promptOf(i) }]),
        answer: `${servedBy} answer to ${i}`,
      }),
    );
    const other = servedBy === "large" ? "small" : "large";
    const otherScore = other === "small" ? (smallGood ? 0.9 : 0.1) : 1;
    store.appendShadow(
      makeShadow({
        id: `sh-${i}`,
        requestId: id,
        servedModel: servedBy,
        shadowModel: other,
        direction: other === "small" ? "down" : "up",
        score: i % 11 === 0 ? null : otherScore,
        servedScore: null,
        unparseable: i % 11 === 0,
        shadowAnswer: `${other} shadow answer ${i}`,
        time: T0 + i * 1000 + 500,
      }),
    );
    const servedScore = servedBy === "large" || smallGood ? 1 : 0;
    feedback.push(
      makeFeedback({
        id: `fb-${i}`,
        requestId: id,
        metric: "correct",
        value: servedScore === 1,
        source: "user",
        time: T0 + i * 1000 + 700,
      }),
    );
  }
  await store.appendFeedback(feedback);
  await store.flush();
  return ids;
}
