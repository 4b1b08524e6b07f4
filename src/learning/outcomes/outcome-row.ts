/** One prompt of outcome data (the JSONL of ../shared/data): what every model scored on it. */
export interface ModelOutcome {
  /** In [0,1], higher is better. */
  score: number;
  /** Length of the model's answer in characters (tokens ≈ chars / 4). */
  output_chars: number;
}

export interface OutcomeRow {
  id: string;
  prompt: string;
  category: string;
  source?: string;
  outcomes: Record<string, ModelOutcome>;
  /** Every other field of the line (gold, contaminated, version_conflict, turn2, …). */
  extras: Record<string, unknown>;
}
