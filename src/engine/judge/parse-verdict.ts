/** A pairwise verdict as the judge wrote it: answer A, answer B, or a tie. */
export type PairwiseChoice = "A" | "B" | "tie";

const PAIRWISE = /^verdict\s*:\s*(a|b|tie)\s*\.?$/i;
const ABSOLUTE = /^score\s*:\s*(10|[1-9])(?:\s*\/\s*10)?\s*\.?$/i;

/**
 * Strict: the whole reply (trimmed, optionally in one pair of ** or ` marks) must be one
 * `VERDICT: A|B|TIE` line. Anything else — prose around it, two verdicts, "A or B" — is
 * unparseable (undefined), never guessed.
 */
export function parsePairwiseVerdict(reply: string): PairwiseChoice | undefined {
  const match = PAIRWISE.exec(unwrap(reply));
  if (!match?.[1]) return undefined;
  const choice = match[1].toUpperCase();
  return choice === "TIE" ? "tie" : (choice as "A" | "B");
}

/** Strict: the whole reply must be one `SCORE: N` line with an integer N in 1..10 (`/10` allowed); else undefined. */
export function parseAbsoluteScore(reply: string): number | undefined {
  const match = ABSOLUTE.exec(unwrap(reply));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function unwrap(reply: string): string {
  const text = reply.trim();
  const wrapped = /^(\*\*|`)(.*)\1$/s.exec(text);
  return (wrapped?.[2] ?? text).trim();
}
