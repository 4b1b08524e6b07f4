import type { RightsizeConfig } from "../config/config-schema.js";
import { AuthenticationError, OverloadedError } from "../core/errors.js";
import type { KeyStore } from "../storage/keys/key-store.js";
import { hashKeySecret } from "../storage/keys/key-secret.js";
import type { VirtualKey } from "../storage/keys/virtual-key.js";
import { type ClientIdentity, clientIdentity } from "./client-identity.js";

interface Cached {
  identity: ClientIdentity | null;
  until: number;
}

export interface ClientKeysOptions {
  /** How long a looked-up key (or an unknown one) is trusted. */
  cacheMs: number;
  now?: () => number;
  /** A key-store failure (the store unreachable): reported, and stale cache entries keep serving. */
  onError?: (error: Error) => void;
}

const MAX_CACHED = 10_000;

/**
 * The client keys a gateway accepts: those of the config file (in memory) and those of the key
 * store (`rightsize keys`), looked up by the hash of the bearer secret and cached for `cacheMs`,
 * so a request costs a store query only on a cache miss. Auth is required once any key exists:
 * a config key, or a key in the store (counted at start and every `cacheMs`; a revoked one
 * counts too, so revoking the last key does not open the gateway).
 */
export class ClientKeys {
  private readonly configKeys = new Map<string, ClientIdentity>();
  private readonly cache = new Map<string, Cached>();
  private readonly lookups = new Map<string, Promise<ClientIdentity | null>>();
  /** sha256 of the secrets seen last (a few clients send the same key on every request): no hash per request. */
  private readonly hashes = new Map<string, string>();
  private storeKeys: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(
    config: RightsizeConfig,
    private readonly store: KeyStore | null,
    private readonly options: ClientKeysOptions,
  ) {
    this.now = options.now ?? Date.now;
    config.server.apiKeys.forEach((entry, i) => {
      if (typeof entry === "string") {
        this.configKeys.set(hashKeySecret(entry), clientIdentity(`key-${i + 1}`, NO_LIMITS));
        return;
      }
      this.configKeys.set(
        hashKeySecret(entry.key),
        clientIdentity(entry.id, {
          routers: entry.routers ?? null,
          models: entry.models ?? null,
          rpm: entry.rpm ?? null,
          tpm: entry.tpm ?? null,
          budget: entry.budget ?? null,
        }),
      );
    });
  }

  /** Counts the store's keys once, then every `cacheMs` in the background. */
  async start(): Promise<void> {
    if (!this.store) return;
    await this.countStoreKeys();
    this.timer = setInterval(() => void this.countStoreKeys(), this.options.cacheMs);
    this.timer.unref();
  }

  /** Whether requests must carry a key (an unreadable store counts as holding keys). */
  get required(): boolean {
    return this.configKeys.size > 0 || (this.store !== null && (this.storeKeys === undefined || this.storeKeys > 0));
  }

  /** Keys in the store, revoked ones included, as last counted (undefined: not readable yet; 0 without a store). */
  get storeKeyCount(): number | undefined {
    return this.store ? this.storeKeys : 0;
  }

  /** The config keys' ids by hash (what `Gateway.clientKeys` exposes). */
  get configKeyIds(): ReadonlyMap<string, string> {
    return new Map([...this.configKeys].map(([hash, identity]) => [hash, identity.id]));
  }

  /**
   * The identity for an Authorization header: synchronous when the key is a config key or
   * cached, else a promise. Undefined when no auth is required; throws (or rejects with) a 401
   * for a missing or unknown key, and a 503 when the store cannot be read and the key is not cached.
   */
  identify(authorization: string | undefined): ClientIdentity | undefined | Promise<ClientIdentity | undefined> {
    if (!this.required) return this.identifyOptional(authorization);
    if (!authorization) {
      throw new AuthenticationError("You didn't provide an API key. Send it in the Authorization header as 'Bearer YOUR_KEY'.", {
        code: "missing_api_key",
      });
    }
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    const secret = match?.[1]?.trim();
    if (!secret) throw new AuthenticationError("Incorrect API key provided.");
    const hash = this.hashOf(secret);
    const configured = this.configKeys.get(hash);
    if (configured) return configured;
    if (!this.store) throw new AuthenticationError("Incorrect API key provided.");
    const cached = this.cache.get(hash);
    if (cached && cached.until > this.now()) return known(cached.identity);
    return this.lookup(hash, cached).then(known);
  }

  /**
   * No key exists yet (as last counted): requests need none, but a key created since is honoured
   * at once (its limits apply), and an unknown one is let through as before.
   */
  private identifyOptional(authorization: string | undefined): ClientIdentity | undefined | Promise<ClientIdentity | undefined> {
    const secret = authorization ? /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1]?.trim() : undefined;
    if (!secret || !this.store) return undefined;
    const hash = this.hashOf(secret);
    const cached = this.cache.get(hash);
    if (cached && cached.until > this.now()) return cached.identity ?? undefined;
    return this.lookup(hash, cached).then(
      (identity) => identity ?? undefined,
      () => undefined,
    );
  }

  private hashOf(secret: string): string {
    let hash = this.hashes.get(secret);
    if (hash === undefined) {
      if (this.hashes.size >= 256) this.hashes.clear();
      hash = hashKeySecret(secret);
      this.hashes.set(secret, hash);
    }
    return hash;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private lookup(hash: string, stale: Cached | undefined): Promise<ClientIdentity | null> {
    let pending = this.lookups.get(hash);
    if (pending) return pending;
    const store = this.store as KeyStore;
    pending = store
      .findBySecretHash(hash, this.now())
      .then(
        (key) => {
          const identity = key ? identityOf(key) : null;
          if (this.cache.size >= MAX_CACHED) this.cache.clear();
          this.cache.set(hash, { identity, until: this.now() + this.options.cacheMs });
          if (identity && this.storeKeys === 0) this.storeKeys = 1;
          return identity;
        },
        (error: unknown) => {
          this.report(error);
          if (stale) return stale.identity;
          throw new OverloadedError("The key store cannot be read right now; send the request again shortly.", {
            code: "key_store_unavailable",
            retryAfterMs: 1_000,
          });
        },
      )
      .finally(() => this.lookups.delete(hash));
    this.lookups.set(hash, pending);
    return pending;
  }

  private async countStoreKeys(): Promise<void> {
    try {
      this.storeKeys = (await (this.store as KeyStore).count()).total;
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // a failing reporter must not fail the request
    }
  }
}

const NO_LIMITS = { routers: null, models: null, rpm: null, tpm: null, budget: null } as const;

function identityOf(key: VirtualKey): ClientIdentity {
  return clientIdentity(key.id, { routers: key.routers, models: key.models, rpm: key.rpm, tpm: key.tpm, budget: key.budget });
}

function known(identity: ClientIdentity | null): ClientIdentity {
  if (!identity) throw new AuthenticationError("Incorrect API key provided.");
  return identity;
}
