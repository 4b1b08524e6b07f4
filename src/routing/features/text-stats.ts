import type { RequestFeatureText } from "./request-feature-text.js";

/** Names of the dense structural features, in the order `textStats` returns them. */
export const textStatNames = [
  "log_chars",
  "log_words",
  "log_lines",
  "numbers",
  "digit_share",
  "math_symbols",
  "latex",
  "equation",
  "code_fence",
  "code_tokens",
  "list_lines",
  "option_lines",
  "question_marks",
  "q_what",
  "q_how",
  "q_why",
  "q_which",
  "q_calculate",
  "q_explain",
  "q_write",
  "q_compare",
  "avg_word_length",
  "upper_share",
  "log_turns",
  "has_system",
  "log_tools",
  "log_context_chars",
  "units",
] as const;

const codeTokens =
  /\b(def|return|function|const|let|var|class|import|public|static|void|int|printf|console\.log|#include|SELECT|lambda)\b|[{};]\s*$|=>|\(\)/gm;
const questionWords: Array<[RegExp, number]> = [
  [/\bwhat\b/i, 13],
  [/\bhow (?:many|much|long|far|old)\b|\bhow\b/i, 14],
  [/\bwhy\b/i, 15],
  [/\bwhich\b/i, 16],
  [/\b(calculate|compute|find|solve|evaluate|determine)\b/i, 17],
  [/\b(explain|describe|discuss)\b/i, 18],
  [/\b(write|compose|draft|create|generate)\b/i, 19],
  [/\b(compare|contrast|difference)\b/i, 20],
];

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** Dense, model-free features of a request: lengths, structure, question type, conversation shape. */
export function textStats(features: RequestFeatureText): number[] {
  const text = features.main;
  const chars = Math.max(1, text.length);
  const words = text.split(/\s+/).filter(Boolean);
  const letters = count(text, /\p{L}/gu);
  const out = new Array<number>(textStatNames.length).fill(0);
  out[0] = Math.log1p(features.shape.lastUserChars);
  out[1] = Math.log1p(words.length);
  out[2] = Math.log1p(count(text, /\n/g));
  out[3] = Math.log1p(count(text, /\d+(?:\.\d+)?/g));
  out[4] = count(text, /\d/g) / chars;
  out[5] = Math.log1p(count(text, /[=+\-*/^<>≤≥∑∫√π×÷%]/g));
  out[6] = Math.log1p(count(text, /\\[a-z]+|\$[^$]+\$/g));
  out[7] = Math.log1p(count(text, /[a-z0-9)]\s*[=<>]\s*[a-z0-9(]/gi));
  out[8] = Math.log1p(count(text, /```/g));
  out[9] = Math.log1p(count(text, codeTokens));
  out[10] = Math.log1p(count(text, /^\s*(?:[-*•]|\d+[.)])\s+/gm));
  out[11] = Math.log1p(count(text, /^\s*\(?[A-J][.)]\s/gm));
  out[12] = Math.log1p(count(text, /\?/g));
  for (const [pattern, index] of questionWords) out[index] = pattern.test(text) ? 1 : 0;
  out[21] = words.length ? Math.min(20, letters / words.length) : 0;
  out[22] = letters ? count(text, /\p{Lu}/gu) / letters : 0;
  out[23] = Math.log1p(features.shape.userTurns + features.shape.assistantTurns);
  out[24] = features.shape.hasSystem ? 1 : 0;
  out[25] = Math.log1p(features.shape.tools);
  out[26] = Math.log1p(Math.max(0, features.shape.totalChars - features.shape.lastUserChars));
  out[27] = Math.log1p(
    count(text, /\$\s?\d|\d\s?(?:%|kg|km|cm|mm|m\/s|hours?|minutes?|dollars?|cents?|miles?|meters?|mol|J|N|K|Hz|V|W)\b/g),
  );
  return out;
}
