import { appendFile, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { artifactVersion, versionOfBytes } from "../routing/artifact-version.js";
import type { RouterArtifact } from "../routing/learned/quality-predictor.js";
import { parseRouterArtifact } from "../routing/learned/router-artifact-schema.js";

/** What happened to a version of a router artifact. */
export type LineageEvent = "adopted" | "trained" | "promoted" | "refused" | "rollback";

/** One line of an artifact's lineage (`lineage.jsonl` in its history folder). */
export interface LineageEntry {
  version: string;
  event: LineageEvent;
  /** The version serving before (the one it was compared with, or rolled back from). */
  parent: string | null;
  at: string;
  kind: string;
  /** Hash and size of the outcome data it was trained on. */
  dataSha256: string;
  rows: number;
  /** Figures that decided (held-out quality, large share, cost per 1,000, their intervals, …). */
  metrics?: Record<string, number>;
  /** Why: the promotion gate's verdict, a rollback's reason. */
  note?: string;
}

/** A stored version with its latest lineage entry. */
export interface ArtifactVersionInfo {
  version: string;
  current: boolean;
  first: LineageEntry;
  last: LineageEntry;
}

/**
 * The versions of one router artifact file, kept beside it in `<file>.history/`: every version's
 * bytes (`<version>.json`) and its lineage (`lineage.jsonl`: trained, promoted, refused, rolled
 * back, with data hash, row counts, metrics and parent). The artifact file itself is what the
 * gateway serves; promotion and rollback replace it atomically (write beside it, then rename),
 * so a gateway watching it never reads half a file.
 */
export class ArtifactHistory {
  readonly file: string;
  readonly folder: string;

  constructor(artifactFile: string) {
    this.file = path.resolve(artifactFile);
    this.folder = `${this.file}.history`;
  }

  /** The version of the artifact file serving now, or null when there is none. */
  async current(): Promise<string | null> {
    try {
      return await artifactVersion(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  /** Every lineage entry, oldest first. */
  async entries(): Promise<LineageEntry[]> {
    let text: string;
    try {
      text = await readFile(path.join(this.folder, "lineage.jsonl"), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line, i) => {
        try {
          return JSON.parse(line) as LineageEntry;
        } catch {
          throw new Error(`${path.join(this.folder, "lineage.jsonl")}:${i + 1}: not a JSON line`);
        }
      });
  }

  /** Every stored version, newest first, with whether it serves now. */
  async versions(): Promise<ArtifactVersionInfo[]> {
    const current = await this.current();
    const byVersion = new Map<string, ArtifactVersionInfo>();
    for (const entry of await this.entries()) {
      const known = byVersion.get(entry.version);
      if (known) {
        known.last = entry;
        byVersion.delete(entry.version);
        byVersion.set(entry.version, known);
      } else byVersion.set(entry.version, { version: entry.version, current: entry.version === current, first: entry, last: entry });
    }
    return [...byVersion.values()].reverse();
  }

  /** The stored artifact of `version` (a unique prefix is enough). */
  async read(version: string): Promise<{ version: string; artifact: RouterArtifact; bytes: Buffer }> {
    const full = await this.resolve(version);
    const bytes = await readFile(path.join(this.folder, `${full}.json`));
    return { version: full, artifact: parseRouterArtifact(JSON.parse(bytes.toString("utf8"))), bytes };
  }

  /** The full version for a unique prefix. */
  async resolve(prefix: string): Promise<string> {
    const versions = [...new Set((await this.entries()).map((entry) => entry.version))];
    const matches = versions.filter((version) => version.startsWith(prefix));
    if (matches.length === 1 && matches[0]) return matches[0];
    if (matches.length === 0) throw new Error(`no version ${prefix} in ${this.folder}`);
    throw new Error(`version ${prefix} is ambiguous in ${this.folder}: ${matches.join(", ")}`);
  }

  /** Records the serving artifact as the first version when the history does not know it yet. */
  async adoptCurrent(): Promise<string | null> {
    const current = await this.current();
    if (current === null) return null;
    if ((await this.entries()).some((entry) => entry.version === current)) return current;
    const bytes = await readFile(this.file);
    await this.#store(bytes, current);
    await this.#append(entryFor(current, "adopted", null, parseRouterArtifact(JSON.parse(bytes.toString("utf8"))), {}));
    return current;
  }

  /** Stores a candidate and records an event for it (trained, refused) without serving it. */
  async record(
    artifact: RouterArtifact,
    event: LineageEvent,
    details: { parent?: string | null; metrics?: Record<string, number>; note?: string } = {},
  ): Promise<string> {
    const bytes = serialize(artifact);
    const version = versionOfBytes(bytes);
    await this.#store(bytes, version);
    await this.#append(entryFor(version, event, details.parent ?? null, artifact, details));
    return version;
  }

  /** Makes `artifact` the serving one (atomically) and records it as promoted over the current version. */
  async promote(artifact: RouterArtifact, details: { metrics?: Record<string, number>; note?: string } = {}): Promise<string> {
    const parent = await this.adoptCurrent();
    const bytes = serialize(artifact);
    const version = versionOfBytes(bytes);
    await this.#store(bytes, version);
    await this.#replaceServing(bytes);
    await this.#append(entryFor(version, "promoted", parent, artifact, details));
    return version;
  }

  /**
   * Serves `version` again (default: the parent of the version serving now) and records the
   * rollback. Returns the version now serving.
   */
  async rollback(version?: string, note?: string): Promise<{ from: string | null; to: string }> {
    const from = await this.adoptCurrent();
    let target = version;
    if (target === undefined) {
      const entries = await this.entries();
      const lastOfCurrent = entries.filter((entry) => entry.version === from && entry.parent !== null).at(-1);
      if (!lastOfCurrent?.parent) throw new Error(`version ${from ?? "(none)"} has no earlier version to roll back to; name one`);
      target = lastOfCurrent.parent;
    }
    const stored = await this.read(target);
    await this.#replaceServing(stored.bytes);
    await this.#append(entryFor(stored.version, "rollback", from, stored.artifact, { note }));
    return { from, to: stored.version };
  }

  async #store(bytes: Buffer | string, version: string): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const target = path.join(this.folder, `${version}.json`);
    const staged = `${target}.${process.pid}.tmp`;
    await writeFile(staged, bytes);
    await rename(staged, target);
  }

  async #replaceServing(bytes: Buffer | string): Promise<void> {
    const staged = path.join(path.dirname(this.file), `.${path.basename(this.file)}.${process.pid}.tmp`);
    await writeFile(staged, bytes);
    await rename(staged, this.file);
  }

  async #append(entry: LineageEntry): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    await appendFile(path.join(this.folder, "lineage.jsonl"), `${JSON.stringify(entry)}\n`);
  }
}

function serialize(artifact: RouterArtifact): string {
  return `${JSON.stringify(artifact)}\n`;
}

function entryFor(
  version: string,
  event: LineageEvent,
  parent: string | null,
  artifact: RouterArtifact,
  details: { metrics?: Record<string, number>; note?: string },
): LineageEntry {
  const entry: LineageEntry = {
    version,
    event,
    parent,
    at: new Date().toISOString(),
    kind: artifact.kind,
    dataSha256: artifact.training.dataSha256,
    rows: artifact.training.rows,
  };
  if (details.metrics) entry.metrics = details.metrics;
  if (details.note) entry.note = details.note;
  return entry;
}
