/**
 * A reset time as OpenAI's `x-ratelimit-reset-*` headers write it: `250ms`, `1s`, `6m0s`,
 * `1h2m3.5s` (Go durations), rounded up (never earlier than the reset).
 */
export function formatResetDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return "0s";
  if (Math.ceil(ms) < 1_000) return `${Math.ceil(ms)}ms`;
  const totalSeconds = Math.ceil(ms / 100) / 10;
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.floor((totalSeconds - hours * 3_600) / 60);
  const seconds = Math.round((totalSeconds - hours * 3_600 - minutes * 60) * 10) / 10;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
