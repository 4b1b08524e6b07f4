import type { RequestLogReader } from "../../storage/request-log-store.js";
import { exportOutcomes, type ExportOutcomesSummary } from "../export/export-outcomes.js";
import type { OutcomeRow } from "../outcomes/outcome-row.js";

/** The request log's outcome rows (feedback and shadow judgments, as `rightsize export outcomes` builds them), in memory. */
export async function loggedOutcomeRows(
  reader: Pick<RequestLogReader, "exchanges">,
  options: { since?: number } = {},
): Promise<{ rows: OutcomeRow[]; summary: ExportOutcomesSummary }> {
  const rows: OutcomeRow[] = [];
  const summary = await exportOutcomes(
    reader.exchanges({ ...(options.since === undefined ? {} : { since: options.since }), servedOnly: false }),
    (row) => {
      const outcomes: OutcomeRow["outcomes"] = {};
      for (const [model, outcome] of Object.entries(row.outcomes))
        outcomes[model] = { score: outcome.score, output_chars: outcome.output_chars ?? 0 };
      rows.push({ id: row.id, prompt: row.prompt, category: row.category, outcomes, extras: { episode_id: row.episode_id } });
    },
    { minModels: 1 },
  );
  return { rows, summary };
}
