import type { ArtifactVersions } from "../artifact-versions.js";

/** Artifact versions in this process: `set` tells this process's watchers at once. */
export class InProcessArtifacts implements ArtifactVersions {
  private readonly versions = new Map<string, string>();
  private readonly listeners = new Map<string, Set<(version: string | null) => void>>();

  async get(name: string): Promise<string | null> {
    return this.versions.get(name) ?? null;
  }

  async set(name: string, version: string, options: { ifVersion?: string | null } = {}): Promise<boolean> {
    const current = this.versions.get(name) ?? null;
    if (options.ifVersion !== undefined && options.ifVersion !== current) return false;
    this.versions.set(name, version);
    if (current !== version) for (const listener of this.listeners.get(name) ?? []) listener(version);
    return true;
  }

  peek(name: string): string | null {
    return this.versions.get(name) ?? null;
  }

  watch(name: string, listener: (version: string | null) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }
}
