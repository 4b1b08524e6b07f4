import { type FSWatcher, watch } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { RightsizeConfig } from "../config/config-schema.js";
import { ConfigError } from "../config/config-error.js";
import { artifactVersion } from "../routing/artifact-version.js";
import type { Router } from "../routing/router.js";
import { SwappableRouter } from "../routing/swappable-router.js";
import type { Interval } from "./drift/rolling-signal.js";
import type { ArtifactVersions } from "../state/artifact-versions.js";
import { type BuildRoutersOptions, buildRouter } from "./build-routers.js";

/** What one reload did. */
export interface RouterReload {
  router: string;
  /** swapped: new requests use the new artifact; unchanged: the file holds the version serving; refused: the old router keeps serving. */
  outcome: "swapped" | "unchanged" | "refused";
  version: string;
  previousVersion: string;
  /** Why a reload was refused. */
  error?: string;
  /** What asked for it. */
  trigger: ReloadTrigger;
}

export type ReloadTrigger = "admin" | "file" | "shared-state" | "schedule" | "recalibrate";

/** A router that can be reloaded: a learned router reading an artifact file. */
export interface ReloadableRouter {
  id: string;
  kind: string;
  artifact: string;
  version: string;
  loadedAt: Date;
  /** The large-model share its calibration expects (95% interval), when the artifact is calibrated. */
  expectedLargeShare: Interval | null;
}

export interface RouterReloaderOptions extends BuildRoutersOptions {
  /** Shared artifact versions: a swap here is announced to every gateway, and theirs reach this one. */
  versions?: ArtifactVersions;
  /** Called after every reload attempt (metrics, log). */
  onReload?: (reload: RouterReload) => void;
  /** Debounce of file-change events (an editor or `cp` writes a file in several steps). */
  debounceMs?: number;
}

interface Slot {
  index: number;
  router: SwappableRouter;
  file: string;
  loadedAt: Date;
  expectedLargeShare: Interval | null;
  /** A version check's reload is under way. */
  checking?: boolean;
  /** The last shared version a version check reloaded for. */
  triedShared?: string;
  /** Reloads of one router run one at a time. */
  queue: Promise<unknown>;
}

/**
 * Keeps the learned routers of a running gateway up to date with their artifact files: a
 * reload builds the new router completely (artifact parsed, models mapped, predictor loaded)
 * and only then swaps it in; a broken artifact is refused and the old router keeps serving.
 * Reloads come from the admin endpoint, a file watch, or another gateway through the shared
 * artifact versions.
 */
export class RouterReloader {
  readonly #config: RightsizeConfig;
  readonly #options: RouterReloaderOptions;
  readonly #slots = new Map<string, Slot>();
  readonly #watchers: FSWatcher[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #unsubscribe: (() => void)[] = [];

  private constructor(config: RightsizeConfig, options: RouterReloaderOptions) {
    this.#config = config;
    this.#options = options;
  }

  /**
   * Wraps every artifact-backed router of `routers` (built from `config`) so it can be swapped;
   * returns the reloader and the map the engine should use.
   */
  static async wrap(
    config: RightsizeConfig,
    routers: ReadonlyMap<string, Router>,
    options: RouterReloaderOptions,
  ): Promise<{ reloader: RouterReloader; routers: Map<string, Router> }> {
    const reloader = new RouterReloader(config, options);
    const wrapped = new Map(routers);
    for (const [index, entry] of config.routers.entries()) {
      const artifact = entry.settings.artifact;
      const router = routers.get(entry.id);
      if (typeof artifact !== "string" || !router) continue;
      const file = path.resolve(options.configDir, artifact);
      const version = await artifactVersion(file);
      const swappable = new SwappableRouter(router, version);
      wrapped.set(entry.id, swappable);
      reloader.#slots.set(entry.id, {
        index,
        router: swappable,
        file,
        loadedAt: new Date(),
        expectedLargeShare: await expectedLargeShare(file),
        queue: Promise.resolve(),
      });
    }
    return { reloader, routers: wrapped };
  }

  /** The routers that can be reloaded, with the version serving now. */
  list(): ReloadableRouter[] {
    return [...this.#slots.entries()].map(([id, slot]) => ({
      id,
      kind: slot.router.kind,
      artifact: slot.file,
      version: slot.router.version,
      loadedAt: slot.loadedAt,
      expectedLargeShare: slot.expectedLargeShare,
    }));
  }

  has(id: string): boolean {
    return this.#slots.has(id);
  }

  /**
   * The version check on each decision path: when the shared state names another version than
   * the one serving (a pub/sub message this gateway missed), the router is reloaded in the
   * background; the request goes on with the router serving now. A map lookup otherwise.
   */
  ensureVersion(id: string, shared: string | null | undefined): void {
    if (!shared) return;
    const slot = this.#slots.get(id);
    if (!slot || slot.router.version === shared || slot.router.version.startsWith(`${shared}~`) || slot.checking) return;
    // One try per announced version: a file that does not hold it is not read again on every request.
    if (slot.triedShared === shared) return;
    slot.triedShared = shared;
    slot.checking = true;
    void this.reload(id, "shared-state").finally(() => {
      slot.checking = false;
    });
  }

  /** Reloads router `id` from its artifact file. Never throws for a bad artifact: the result says it was refused. */
  reload(id: string, trigger: ReloadTrigger): Promise<RouterReload> {
    const slot = this.#slots.get(id);
    if (!slot) return Promise.reject(new RangeError(`router ${id} has no artifact to reload`));
    const run = slot.queue.then(() => this.#reload(id, slot, trigger));
    slot.queue = run.catch(() => undefined);
    return run;
  }

  /** Reloads a router whenever its artifact file changes (watching its folder, so atomic renames count). */
  watchFiles(): void {
    const byFolder = new Map<string, Map<string, string>>();
    for (const [id, slot] of this.#slots) {
      const folder = path.dirname(slot.file);
      const names = byFolder.get(folder) ?? new Map<string, string>();
      names.set(path.basename(slot.file), id);
      byFolder.set(folder, names);
    }
    for (const [folder, names] of byFolder) {
      const pending = new Map<string, NodeJS.Timeout>();
      const watcher = watch(folder, { persistent: false }, (_event, name) => {
        const id = name ? names.get(name.toString()) : undefined;
        if (!id) return;
        const previous = pending.get(id);
        if (previous) {
          clearTimeout(previous);
          this.#timers.delete(previous);
        }
        const timer = setTimeout(() => {
          pending.delete(id);
          this.#timers.delete(timer);
          void this.reload(id, "file");
        }, this.#options.debounceMs ?? 200);
        this.#timers.add(timer);
        pending.set(id, timer);
      });
      watcher.on("error", () => undefined);
      this.#watchers.push(watcher);
    }
  }

  /**
   * Announces this gateway's versions through the shared artifact versions and reloads a router
   * whenever another gateway announces a different one (it reads the same artifact path).
   */
  async followSharedVersions(): Promise<void> {
    const versions = this.#options.versions;
    if (!versions) return;
    for (const [id, slot] of this.#slots) {
      const name = sharedName(id);
      this.#unsubscribe.push(
        versions.watch(name, (version) => {
          if (version !== null && version !== slot.router.version) void this.reload(id, "shared-state");
        }),
      );
      const current = await versions.get(name).catch(() => null);
      if (current !== null && current !== slot.router.version) await this.reload(id, "shared-state");
    }
  }

  close(): void {
    for (const watcher of this.#watchers.splice(0)) watcher.close();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const stop of this.#unsubscribe.splice(0)) stop();
  }

  /**
   * Serves router `id` with its artifact's threshold replaced (a drift recalibration): built
   * completely, then swapped like a reload; the version names the file's version and the
   * threshold. The next reload of the file (a promotion) replaces it.
   */
  recalibrate(id: string, threshold: number, expected: Interval): Promise<RouterReload> {
    const slot = this.#slots.get(id);
    if (!slot) return Promise.reject(new RangeError(`router ${id} has no artifact to recalibrate`));
    const run = slot.queue.then(async () => {
      const previousVersion = slot.router.version;
      const done = (reload: RouterReload): RouterReload => {
        this.#options.onReload?.(reload);
        return reload;
      };
      try {
        const version = `${await artifactVersion(slot.file)}~t${threshold.toFixed(4)}`;
        const routers = this.#config.routers.map((entry, i) =>
          i === slot.index ? { ...entry, settings: { ...entry.settings, threshold } } : entry,
        );
        const next = await buildRouter({ ...this.#config, routers }, slot.index, this.#options);
        slot.router.swap(next, version);
        slot.expectedLargeShare = expected;
        slot.loadedAt = new Date();
        return done({ router: id, outcome: "swapped", version, previousVersion, trigger: "recalibrate" });
      } catch (error) {
        return done({
          router: id,
          outcome: "refused",
          version: previousVersion,
          previousVersion,
          error: (error as Error).message,
          trigger: "recalibrate",
        });
      }
    });
    slot.queue = run.catch(() => undefined);
    return run;
  }

  /** The calibration target of router `id`'s artifact (large-share targets can be recalibrated live). */
  async calibrationTarget(id: string): Promise<{ kind: string; value: number } | null> {
    const slot = this.#slots.get(id);
    if (!slot) return null;
    try {
      const artifact = JSON.parse(await readFile(slot.file, "utf8")) as {
        models?: unknown[];
        calibration?: { target?: { kind: string; value: number }; policy?: { kind: string } };
      };
      return artifact.calibration?.policy?.kind === "threshold" ? (artifact.calibration.target ?? null) : null;
    } catch {
      return null;
    }
  }

  async #reload(id: string, slot: Slot, trigger: ReloadTrigger): Promise<RouterReload> {
    const previousVersion = slot.router.version;
    const done = (reload: RouterReload): RouterReload => {
      this.#options.onReload?.(reload);
      return reload;
    };
    let version: string;
    let next: Router;
    try {
      version = await artifactVersion(slot.file);
      if (version === previousVersion) return done({ router: id, outcome: "unchanged", version, previousVersion, trigger });
      next = await buildRouter(this.#config, slot.index, this.#options);
      // The file may have changed while it was being read; serve what was built, named by what it was built from.
      const after = await artifactVersion(slot.file);
      if (after !== version) {
        version = after;
        next = await buildRouter(this.#config, slot.index, this.#options);
      }
    } catch (error) {
      const message =
        error instanceof ConfigError ? error.problems.map((p) => `${p.path}: ${p.message}`).join("; ") : (error as Error).message;
      return done({ router: id, outcome: "refused", version: previousVersion, previousVersion, error: message, trigger });
    }
    if (next.kind !== slot.router.kind || next.id !== slot.router.id) {
      return done({
        router: id,
        outcome: "refused",
        version: previousVersion,
        previousVersion,
        error: `the artifact builds a ${next.kind} router; ${id} is a ${slot.router.kind} router`,
        trigger,
      });
    }
    slot.expectedLargeShare = await expectedLargeShare(slot.file);
    slot.router.swap(next, version);
    slot.loadedAt = new Date();
    if (trigger !== "shared-state" && this.#options.versions) {
      await this.#options.versions.set(sharedName(id), version).catch(() => undefined);
    }
    return done({ router: id, outcome: "swapped", version, previousVersion, trigger });
  }
}

/** The calibrated large-model share of an artifact file, when it has one. */
async function expectedLargeShare(file: string): Promise<Interval | null> {
  try {
    const artifact = JSON.parse(await readFile(file, "utf8")) as { calibration?: { expected?: { largeShare?: Interval } } };
    const share = artifact.calibration?.expected?.largeShare;
    return share && [share.value, share.low, share.high].every(Number.isFinite) ? share : null;
  } catch {
    return null;
  }
}

function sharedName(routerId: string): string {
  return `router:${routerId}`;
}
