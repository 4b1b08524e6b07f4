import path from "node:path";
import { ConfigError } from "../config/config-error.js";
import { readConfigDocument } from "../config/load-config.js";
import { CliError } from "./cli-error.js";

export interface RouterArtifactFlags {
  artifact?: string;
  config?: string;
  router?: string;
}

/**
 * The artifact file a `rightsize router …` command works on: `--artifact FILE`, or the
 * `settings.artifact` of router `--router ID` in `--config FILE` (relative to the config file;
 * only that setting is read, so upstream secrets need not be set).
 */
export async function routerArtifactFile(flags: RouterArtifactFlags): Promise<string> {
  return (await routerArtifact(flags)).file;
}

/** The artifact file, and the router's configured kind when it comes from a config. */
export async function routerArtifact(flags: RouterArtifactFlags): Promise<{ file: string; kind?: string }> {
  if (flags.artifact) return { file: path.resolve(flags.artifact) };
  if (!flags.config || !flags.router) throw new CliError("name the artifact: --artifact FILE, or --config FILE --router ID");
  let document: Awaited<ReturnType<typeof readConfigDocument>>;
  try {
    document = await readConfigDocument(flags.config);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
  const root = (document.value ?? {}) as { routers?: unknown };
  const routers = Array.isArray(root.routers) ? (root.routers as unknown[]) : [];
  const index = routers.findIndex((entry) => (entry as { id?: unknown } | null)?.id === flags.router);
  const entry = routers[index] as { kind?: unknown; settings?: { artifact?: unknown } } | undefined;
  if (!entry) {
    const ids = routers.map((r) => (r as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === "string");
    throw new CliError(`${document.file}: no router "${flags.router}" (routers: ${ids.join(", ") || "none"})`);
  }
  const artifact = entry.settings?.artifact;
  if (typeof artifact !== "string") {
    const line = document.lineOf(["routers", index]);
    throw new CliError(`${document.file}${line ? `:${line}` : ""}: routers[${index}] (${flags.router}) reads no artifact`);
  }
  return { file: path.resolve(document.dir, artifact), ...(typeof entry.kind === "string" ? { kind: entry.kind } : {}) };
}
