import type { FeedbackValue } from "./feedback-record.js";

/** A feedback value as the stores keep it: its kind, and a number (booleans 0/1) or a label. */
export interface FeedbackValueColumns {
  value_kind: "boolean" | "number" | "label";
  value_number: number | null;
  value_label: string | null;
}

export function feedbackValueColumns(value: FeedbackValue): FeedbackValueColumns {
  if (typeof value === "boolean") return { value_kind: "boolean", value_number: value ? 1 : 0, value_label: null };
  if (typeof value === "number") return { value_kind: "number", value_number: value, value_label: null };
  return { value_kind: "label", value_number: null, value_label: value };
}

export function feedbackValueFrom(columns: { value_kind: string; value_number: number | null; value_label: string | null }): FeedbackValue {
  if (columns.value_kind === "boolean") return columns.value_number === 1;
  if (columns.value_kind === "number") return columns.value_number ?? 0;
  return columns.value_label ?? "";
}
