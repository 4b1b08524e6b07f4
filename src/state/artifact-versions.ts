/**
 * The version of each router artifact that should be serving, shared by every gateway. A
 * promotion sets it on one gateway; every other one hears of it (Redis: pub/sub) and `peek`
 * answers from memory, cheap enough for every routing decision. While the shared store is
 * unreachable, `get` answers with the last version known (and throws when none is), and `set`
 * throws: a promotion must reach every gateway or fail visibly.
 */
export interface ArtifactVersions {
  /** The current version (authoritative read), or null when none was set. */
  get(name: string): Promise<string | null>;
  /**
   * Sets the version and tells every gateway. With `ifVersion`, only when the current version
   * is that one (null: only when none is set): a compare-and-set for promotions. Returns whether it was set.
   */
  set(name: string, version: string, options?: { ifVersion?: string | null }): Promise<boolean>;
  /** The last version this gateway knows, without a round trip; undefined before it has read or heard of one. */
  peek(name: string): string | null | undefined;
  /**
   * Calls `listener` whenever the version changes (set on any gateway) from one this gateway
   * knew: watch, then `get` the current version, then act on every change. Returns the unsubscribe function.
   */
  watch(name: string, listener: (version: string | null) => void): () => void;
}
