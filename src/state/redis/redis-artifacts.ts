import type { ArtifactVersions } from "../artifact-versions.js";
import type { RedisConnection } from "./redis-connection.js";
import { UNAVAILABLE } from "./redis-connection.js";
import type { RedisKeys } from "./redis-keys.js";
import { artifactSet } from "./redis-scripts.js";

interface Known {
  version: string | null;
  revision: number;
}

/** An artifact event on the channel: name, version, revision. */
interface ArtifactMessage {
  n: string;
  v: string;
  r: number;
}

/**
 * Artifact versions in Redis. `set` runs one script that stores the version, raises its
 * revision and publishes it; every gateway keeps the versions it knows in memory (what `peek`
 * returns) and updates them from the channel, ignoring an event older than what it has. After
 * a reconnect it reads every version it knows again, so an event missed while the connection
 * was down is not missed for good.
 */
export class RedisArtifacts implements ArtifactVersions {
  private readonly known = new Map<string, Known>();
  private readonly listeners = new Map<string, Set<(version: string | null) => void>>();

  constructor(
    private readonly connection: RedisConnection,
    private readonly keys: RedisKeys,
  ) {
    connection.onReconnect(() => void this.resync());
  }

  /** A message on the artifact channel. */
  hear(message: string): void {
    try {
      const event = JSON.parse(message) as ArtifactMessage;
      this.learn(event.n, { version: event.v, revision: Number(event.r) });
    } catch {
      // not ours
    }
  }

  async get(name: string): Promise<string | null> {
    const reply = await this.connection.run((redis) => redis.hmget(this.keys.artifact(name), "v", "r"));
    if (reply === UNAVAILABLE) {
      const known = this.known.get(name);
      if (known) return known.version;
      throw new Error(`artifact version of ${name} is unknown: Redis is unreachable (${this.connection.status().lastError})`);
    }
    const [version, revision] = reply;
    this.learn(name, { version: version ?? null, revision: Number(revision ?? 0) });
    return version ?? null;
  }

  async set(name: string, version: string, options: { ifVersion?: string | null } = {}): Promise<boolean> {
    const mode = options.ifVersion === undefined ? "any" : options.ifVersion === null ? "absent" : "equals";
    const reply = await this.connection.run((redis) =>
      artifactSet.run(redis, [this.keys.artifact(name)], [version, mode, options.ifVersion ?? "", this.keys.artifactChannel, name]),
    );
    if (reply === UNAVAILABLE) {
      throw new Error(`cannot set the artifact version of ${name}: Redis is unreachable (${this.connection.status().lastError})`);
    }
    const [set, revision] = (reply as number[]).map(Number) as [number, number];
    if (set === 1) this.learn(name, { version, revision });
    return set === 1;
  }

  peek(name: string): string | null | undefined {
    return this.known.get(name)?.version;
  }

  watch(name: string, listener: (version: string | null) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    if (!this.known.has(name)) void this.get(name).catch(() => undefined);
    return () => set.delete(listener);
  }

  /** Takes a newer revision; listeners hear of a change from a version this gateway knew (not of the first one it learns). */
  private learn(name: string, next: Known): void {
    const known = this.known.get(name);
    if (known && next.revision <= known.revision) return;
    this.known.set(name, next);
    if (!known || known.version === next.version) return;
    for (const listener of this.listeners.get(name) ?? []) listener(next.version);
  }

  private async resync(): Promise<void> {
    await Promise.all([...new Set([...this.known.keys(), ...this.listeners.keys()])].map((name) => this.get(name).catch(() => undefined)));
  }
}
