import type { Command } from "commander";
import { ArtifactHistory, type LineageEntry } from "../../learning/artifact-history.js";
import type { RouterArtifact } from "../../routing/learned/quality-predictor.js";
import { CliError } from "../cli-error.js";
import { type RouterArtifactFlags, routerArtifactFile } from "../router-artifact-flag.js";

/** `rightsize router history | diff | rollback`: the versions of a learned router's artifact. */
export function registerRouterCommand(program: Command): void {
  const router = program.command("router").description("Versions of a learned router's artifact: history, diff, rollback.");
  const withTarget = (command: Command) =>
    command
      .option("--artifact <file>", "the router artifact file")
      .option("-c, --config <file>", "config file (with --router: use that router's settings.artifact)")
      .option("--router <id>", "router id in --config");

  withTarget(router.command("history").description("List the artifact's versions, newest first, with lineage and metrics.")).action(
    async (flags: RouterArtifactFlags) => {
      const history = new ArtifactHistory(await routerArtifactFile(flags));
      const versions = await history.versions();
      const current = await history.current();
      if (versions.length === 0) {
        process.stdout.write(
          `${history.file}: no history yet${current ? ` (serving ${current}; its first promotion or rollback starts one)` : ""}\n`,
        );
        return;
      }
      process.stdout.write(`${history.file} (history in ${history.folder})\n`);
      for (const info of versions) {
        const marker = info.current ? "*" : " ";
        const metrics = info.last.metrics ?? info.first.metrics;
        process.stdout.write(
          `${marker} ${info.version}  ${info.last.event.padEnd(8)}  ${info.last.at}  ${info.first.kind}, ${info.first.rows} rows, data ${info.first.dataSha256.slice(0, 12)}` +
            `${info.last.parent ? `, parent ${info.last.parent}` : ""}${metrics ? `\n    ${formatMetrics(metrics)}` : ""}${info.last.note ? `\n    ${info.last.note}` : ""}\n`,
        );
      }
      if (current && !versions.some((info) => info.current))
        process.stdout.write(`  (the file now holds ${current}, which the history does not know)\n`);
    },
  );

  withTarget(
    router
      .command("diff")
      .description("Compare two versions (default: the serving one and its parent): data, settings and metrics.")
      .argument("[a]", "version (or unique prefix)")
      .argument("[b]", "version (or unique prefix)"),
  ).action(async (a: string | undefined, b: string | undefined, flags: RouterArtifactFlags) => {
    const history = new ArtifactHistory(await routerArtifactFile(flags));
    await history.adoptCurrent();
    const entries = await history.entries();
    const current = await history.current();
    let left = a;
    let right = b;
    if (left === undefined) {
      right = current ?? undefined;
      left = entries.filter((entry) => entry.version === current && entry.parent).at(-1)?.parent ?? undefined;
      if (!left || !right) throw new CliError("the serving version has no parent; name two versions: rightsize router diff A B");
    } else if (right === undefined) right = current ?? undefined;
    if (!right) throw new CliError("name two versions: rightsize router diff A B");
    const [x, y] = await Promise.all([history.read(left), history.read(right)]).catch((error: Error) => {
      throw new CliError(error.message);
    });
    process.stdout.write(`${x.version} → ${y.version}\n`);
    for (const line of diffArtifacts(x.artifact, y.artifact, lastMetrics(entries, x.version), lastMetrics(entries, y.version))) {
      process.stdout.write(`  ${line}\n`);
    }
  });

  withTarget(
    router
      .command("rollback")
      .description("Serve an earlier version again (default: the parent of the serving one); a gateway watching the file reloads it.")
      .argument("[version]", "version (or unique prefix) to serve")
      .option("--reason <text>", "why, for the lineage"),
  ).action(async (version: string | undefined, flags: RouterArtifactFlags & { reason?: string }) => {
    const history = new ArtifactHistory(await routerArtifactFile(flags));
    try {
      const { from, to } = await history.rollback(version, flags.reason);
      process.stdout.write(
        `${history.file}: serving ${to} (was ${from ?? "none"}). A gateway with server.admin.watchArtifacts reloads it now; otherwise POST /admin/routers/{id}/reload.\n`,
      );
    } catch (error) {
      throw new CliError((error as Error).message);
    }
  });
}

function lastMetrics(entries: readonly LineageEntry[], version: string): Record<string, number> {
  return entries.filter((entry) => entry.version === version && entry.metrics).at(-1)?.metrics ?? {};
}

function formatMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics)
    .map(([name, value]) => `${name} ${Number.isInteger(value) ? value : value.toFixed(4)}`)
    .join(", ");
}

/** Lines saying what differs between two artifacts. */
export function diffArtifacts(
  a: RouterArtifact,
  b: RouterArtifact,
  metricsA: Record<string, number>,
  metricsB: Record<string, number>,
): string[] {
  const lines: string[] = [];
  const field = (name: string, x: unknown, y: unknown) => {
    const sx = JSON.stringify(x);
    const sy = JSON.stringify(y);
    lines.push(sx === sy ? `${name}: ${sx} (same)` : `${name}: ${sx} → ${sy}`);
  };
  field("kind", a.kind, b.kind);
  field("models", a.models, b.models);
  field(
    "training data",
    `${a.training.dataSha256.slice(0, 12)} (${a.training.rows} rows)`,
    `${b.training.dataSha256.slice(0, 12)} (${b.training.rows} rows)`,
  );
  field("seed", a.training.seed, b.training.seed);
  field("calibration target", a.calibration?.target ?? null, b.calibration?.target ?? null);
  field("policy", a.calibration?.policy ?? null, b.calibration?.policy ?? null);
  const validation = new Set([...Object.keys(a.training.validation), ...Object.keys(b.training.validation)]);
  for (const name of [...validation].sort())
    field(`validation.${name}`, a.training.validation[name] ?? null, b.training.validation[name] ?? null);
  const names = new Set([...Object.keys(metricsA), ...Object.keys(metricsB)]);
  for (const name of [...names].sort()) field(`metric.${name}`, metricsA[name] ?? null, metricsB[name] ?? null);
  return lines;
}
