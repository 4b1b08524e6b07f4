import type { Redis, RedisOptions } from "ioredis";
import type { SharedStateStatus } from "../shared-state-status.js";

export interface RedisConnectionOptions {
  url: string;
  /** A command slower than this fails; the state then works locally until a ping answers again. */
  commandTimeoutMs: number;
  /** Reconnect backoff: first delay, doubling (with jitter) up to the maximum. */
  reconnectMinMs: number;
  reconnectMaxMs: number;
  now?: () => number;
}

/** What `run` returns when Redis could not answer: the caller falls back to local state. */
export const UNAVAILABLE: unique symbol = Symbol("redis unavailable");

type Listener<T> = (value: T) => void;

/** Backoff before reconnect attempt `attempt` (1, 2, …): doubling from min to max, ±25% jitter. */
export function reconnectDelay(attempt: number, minMs: number, maxMs: number): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/**
 * Two connections to Redis, commands and subscriptions, and the one status the state reports.
 * Commands never queue while disconnected (they fail at once, so callers fall back to local
 * state instead of waiting); ioredis reconnects with the backoff above. A command that times
 * out while the socket looks fine (a hung server) marks the state degraded too, until a ping
 * answers. Listeners hear of every change; `onReconnect` ones run when Redis is back, to resync.
 */
export class RedisConnection {
  private connectedValue = false;
  private everConnected = false;
  private suspect = false;
  private healthTimer: NodeJS.Timeout | undefined;
  private healthAttempt = 0;
  private closed = false;
  private statusValue: SharedStateStatus;
  private readonly statusListeners = new Set<Listener<SharedStateStatus>>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly now: () => number;

  private constructor(
    readonly command: Redis,
    readonly subscriber: Redis,
    private readonly options: RedisConnectionOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.statusValue = { kind: "redis", state: "degraded", reconnects: 0, since: this.now(), lastError: null, pendingSettlements: 0 };
    for (const client of [command, subscriber]) {
      client.on("ready", () => this.update());
      client.on("close", () => this.update());
      client.on("end", () => this.update());
      client.on("error", (error: Error) => {
        this.statusValue.lastError = error.message;
        this.update();
      });
    }
  }

  /** Connects (waiting for the first attempt only: an unreachable Redis leaves the state degraded, reconnecting in the background). */
  static async open(options: RedisConnectionOptions): Promise<RedisConnection> {
    const { Redis } = await import("ioredis");
    const common: RedisOptions = {
      lazyConnect: true,
      connectTimeout: Math.max(1_000, options.commandTimeoutMs * 4),
      retryStrategy: (attempt) => reconnectDelay(attempt, options.reconnectMinMs, options.reconnectMaxMs),
      connectionName: "rightsize",
    };
    const command = new Redis(options.url, {
      ...common,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs,
      enableAutoPipelining: true,
    });
    const subscriber = new Redis(options.url, { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true });
    const connection = new RedisConnection(command, subscriber, options);
    await Promise.all([command.connect(), subscriber.connect()]).catch((error: Error) => {
      connection.statusValue.lastError ??= error.message;
    });
    connection.update();
    return connection;
  }

  get connected(): boolean {
    return this.connectedValue;
  }

  status(): SharedStateStatus {
    return { ...this.statusValue };
  }

  setPendingSettlements(count: number): void {
    if (this.statusValue.pendingSettlements === count) return;
    this.statusValue.pendingSettlements = count;
    this.emit();
  }

  onStatus(listener: Listener<SharedStateStatus>): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Runs a command; `UNAVAILABLE` (at once while degraded) when Redis cannot answer. */
  async run<T>(call: (redis: Redis) => Promise<T>): Promise<T | typeof UNAVAILABLE> {
    if (!this.connectedValue) return UNAVAILABLE;
    try {
      return await call(this.command);
    } catch (error) {
      this.statusValue.lastError = error instanceof Error ? error.message : String(error);
      if (this.command.status === "ready") {
        this.suspect = true;
        this.scheduleHealthCheck();
      }
      this.update();
      return UNAVAILABLE;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.healthTimer);
    await Promise.all(
      [this.command, this.subscriber].map(async (client) => {
        if (client.status === "ready") await client.quit().catch(() => client.disconnect());
        else client.disconnect();
      }),
    );
  }

  private update(): void {
    if (this.closed) return;
    const connected = !this.suspect && this.command.status === "ready" && this.subscriber.status === "ready";
    if (connected === this.connectedValue) return;
    this.connectedValue = connected;
    this.statusValue.state = connected ? "connected" : "degraded";
    this.statusValue.since = this.now();
    if (connected) {
      if (this.everConnected) this.statusValue.reconnects += 1;
      this.everConnected = true;
      for (const listener of this.reconnectListeners) listener();
    }
    this.emit();
  }

  private emit(): void {
    const status = this.status();
    for (const listener of this.statusListeners) listener(status);
  }

  private scheduleHealthCheck(): void {
    if (this.healthTimer || this.closed) return;
    this.healthAttempt += 1;
    const delay = reconnectDelay(this.healthAttempt, this.options.reconnectMinMs, this.options.reconnectMaxMs);
    this.healthTimer = setTimeout(() => void this.checkHealth(), delay);
    this.healthTimer.unref();
  }

  private async checkHealth(): Promise<void> {
    this.healthTimer = undefined;
    try {
      await this.command.ping();
      this.suspect = false;
      this.healthAttempt = 0;
      this.update();
    } catch (error) {
      this.statusValue.lastError = error instanceof Error ? error.message : String(error);
      this.scheduleHealthCheck();
    }
  }
}
