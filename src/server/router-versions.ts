import type { ArtifactVersions } from "../state/artifact-versions.js";

/** The artifact name of a router's version in the shared state. */
export function routerArtifactName(routerId: string): string {
  return `router:${routerId}`;
}

/**
 * The artifact version each router serves, as every gateway agrees on it: read at start, then
 * kept current by the shared state's change events (Redis pub/sub), so reading it is a map lookup.
 * A promotion on any gateway (`ArtifactVersions.set`) reaches this one when its event arrives.
 */
export class RouterVersions {
  private readonly versions = new Map<string, string | null>();
  /** When this gateway learned each router's current version (epoch ms). */
  private readonly learnedAt = new Map<string, number>();
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly artifacts: ArtifactVersions,
    routerIds: readonly string[],
  ) {
    for (const id of routerIds) {
      this.versions.set(id, null);
      this.stops.push(
        artifacts.watch(routerArtifactName(id), (version) => {
          this.versions.set(id, version);
          this.learnedAt.set(id, Date.now());
        }),
      );
    }
  }

  /** Reads every router's current version (at start; unreachable state: the versions stay unknown until an event). */
  async load(): Promise<void> {
    await Promise.all(
      [...this.versions.keys()].map(async (id) => {
        try {
          this.versions.set(id, await this.artifacts.get(routerArtifactName(id)));
          this.learnedAt.set(id, Date.now());
        } catch {
          // unknown until the state answers or an event arrives
        }
      }),
    );
  }

  versionOf(routerId: string): string | null | undefined {
    const peeked = this.artifacts.peek(routerArtifactName(routerId));
    return peeked === undefined ? this.versions.get(routerId) : peeked;
  }

  all(): ReadonlyMap<string, string | null> {
    return new Map([...this.versions.keys()].map((id) => [id, this.versionOf(id) ?? null]));
  }

  /** Each router's version and when this gateway learned it, for /healthz. */
  describe(): Record<string, { version: string | null; since: number | null }> {
    const described: Record<string, { version: string | null; since: number | null }> = {};
    for (const [id, version] of this.all()) described[id] = { version, since: this.learnedAt.get(id) ?? null };
    return described;
  }

  close(): void {
    for (const stop of this.stops.splice(0)) stop();
  }
}
