import { CliError } from "../cli-error.js";

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/;
const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * `--since` as epoch ms: a duration back from now (`90s`, `15m`, `1h`, `2d`, `1w`) or a date
 * or date-time (`2026-11-27`, `2026-11-27T09:30`), read as UTC unless it carries an offset.
 */
export function parseSince(value: string, now = Date.now()): number {
  const text = value.trim();
  const duration = DURATION.exec(text);
  if (duration) return now - Number(duration[1]) * (UNIT_MS[duration[2] as string] as number);
  const date = DATE.exec(text);
  if (date) {
    const iso = text.replace(" ", "T");
    const time = Date.parse(date[1] || !iso.includes("T") ? iso : `${iso}Z`);
    if (!Number.isNaN(time)) return time;
  }
  throw new CliError(`--since: expected a duration like 30m, 1h, 2d or a date like 2026-11-27, got "${value}"`);
}

/** `--limit`: a whole number ≥ 0. */
export function parseLimit(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(limit)) {
    throw new CliError(`--limit: expected a whole number ≥ 0, got "${value}"`);
  }
  return limit;
}
