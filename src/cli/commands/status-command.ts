import type { Command } from "commander";
import type { CanaryStatus } from "../../server/canary/canary-monitor.js";
import type { RouterDrift } from "../../server/drift/drift-monitor.js";
import type { SignalReading } from "../../server/drift/rolling-signal.js";
import { CliError } from "../cli-error.js";

interface StatusFlags {
  url: string;
  adminKey?: string;
  failOnWarning?: boolean;
}

interface StatusBody {
  routers: { id: string; kind: string; version: string; loadedAt: string }[];
  retrains?: { router: string; trigger: string; outcome: string; detail: string; at: string }[];
  canaries?: CanaryStatus[];
  drift: RouterDrift[];
  warnings: string[];
}

/** `rightsize status`: a running gateway's routers, artifact versions and drift signals, with warnings. */
export function registerStatusCommand(program: Command): void {
  program
    .command("status")
    .description("Show a running gateway's learned routers and drift signals (GET /admin/status); warn when one left its band.")
    .option("--url <url>", "the gateway", "http://127.0.0.1:8080")
    .option("--admin-key <key>", "an admin key (server.admin.keys); default $RIGHTSIZE_ADMIN_KEY")
    .option("--fail-on-warning", "exit 3 when a signal left its band (for monitoring scripts)")
    .action(async (flags: StatusFlags) => {
      const key = flags.adminKey ?? process.env.RIGHTSIZE_ADMIN_KEY;
      if (!key) throw new CliError("give an admin key: --admin-key KEY or RIGHTSIZE_ADMIN_KEY (the gateway's server.admin.keys)");
      const url = `${flags.url.replace(/\/+$/, "")}/admin/status`;
      let response: Response;
      try {
        response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
      } catch (error) {
        throw new CliError(`${url}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`);
      }
      const body = (await response.json().catch(() => null)) as (StatusBody & { error?: { message: string } }) | null;
      if (!response.ok || !body) throw new CliError(`${url}: ${response.status} ${body?.error?.message ?? response.statusText}`);
      process.stdout.write(formatStatus(body));
      if (body.warnings.length > 0 && flags.failOnWarning) process.exitCode = 3;
    });
}

/** The status as a person reads it. */
export function formatStatus(body: StatusBody): string {
  const lines: string[] = [];
  if (body.routers.length > 0) {
    lines.push("learned routers:");
    for (const router of body.routers) lines.push(`  ${router.id} (${router.kind}): artifact ${router.version}, loaded ${router.loadedAt}`);
  }
  if (body.retrains && body.retrains.length > 0) {
    lines.push("recent retrains:");
    for (const run of body.retrains.slice(0, 5)) lines.push(`  ${run.at} ${run.router} (${run.trigger}): ${run.outcome}; ${run.detail}`);
  }
  for (const canary of body.canaries ?? []) {
    lines.push(
      `canary ${canary.candidate} vs ${canary.incumbent}: ${canary.state}, answering ${(canary.share * 100).toFixed(0)}% of ${canary.incumbent}'s requests`,
    );
    for (const arm of canary.arms) {
      lines.push(
        `    ${arm.model.padEnd(22)} served ${arm.served}, scored ${arm.samples}, mean score ${arm.mean === null ? "–" : arm.mean.toFixed(3)}`,
      );
    }
    if (canary.difference) {
      const d = canary.difference;
      lines.push(
        `    candidate − incumbent  ${d.value >= 0 ? "+" : ""}${d.value.toFixed(3)} (95% ${d.low.toFixed(3)} to ${d.high.toFixed(3)})`,
      );
    }
    lines.push(`    ${canary.decision}`);
  }
  lines.push(
    body.drift.length > 0 ? "drift (sliding window; band = calibrated interval, else the first window):" : "drift: no traffic yet",
  );
  for (const drift of body.drift) {
    lines.push(`  ${drift.router}`);
    lines.push(`    large-model share      ${formatReading(drift.largeShare)}`);
    if (drift.gateFailures.samples > 0) lines.push(`    gate failure rate      ${formatReading(drift.gateFailures)}`);
    if (drift.shadowSmallWins.samples > 0) lines.push(`    shadow wins of small   ${formatReading(drift.shadowSmallWins)}`);
    for (const score of drift.scores) lines.push(`    ${`${score.source} ${score.model}`.padEnd(22)} ${formatReading(score.reading)}`);
  }
  for (const warning of body.warnings) lines.push(`warning: ${warning}`);
  if (body.drift.length > 0 && body.warnings.length === 0) lines.push("every signal is within its band");
  return `${lines.join("\n")}\n`;
}

function formatReading(reading: SignalReading): string {
  if (!reading.current) return "no samples";
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const band = reading.band ? `, band ${pct(reading.band.low)}–${pct(reading.band.high)} (${reading.bandSource})` : ", no band yet";
  const flag = reading.outOfBand ? "  OUT OF BAND" : "";
  return `${pct(reading.current.value)} (95% ${pct(reading.current.low)}–${pct(reading.current.high)}, n=${reading.samples}${band})${flag}`;
}
