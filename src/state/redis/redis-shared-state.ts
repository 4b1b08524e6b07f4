import type { BreakerPolicy } from "../shared-breakers.js";
import type { SharedState } from "../shared-state.js";
import type { SharedStateStatus } from "../shared-state-status.js";
import { RedisArtifacts } from "./redis-artifacts.js";
import { RedisBreakers } from "./redis-breakers.js";
import type { RedisConnectionOptions } from "./redis-connection.js";
import { RedisConnection } from "./redis-connection.js";
import { RedisKeys } from "./redis-keys.js";
import { RedisQuotas } from "./redis-quotas.js";

export interface RedisSharedStateOptions extends RedisConnectionOptions {
  /** Prefix of every key and channel (default "rightsize:"). */
  prefix?: string;
  breaker: BreakerPolicy;
}

/**
 * The shared state of N gateways in Redis: breakers, quotas and artifact versions over one
 * command connection and one subscription (breaker and artifact events). Unreachable Redis
 * degrades it to local state, reported by `status()` and `onStatus`, until it is back.
 */
export class RedisSharedState implements SharedState {
  private constructor(
    private readonly connection: RedisConnection,
    readonly breakers: RedisBreakers,
    readonly quotas: RedisQuotas,
    readonly artifacts: RedisArtifacts,
  ) {}

  static async open(options: RedisSharedStateOptions): Promise<RedisSharedState> {
    const now = options.now ?? Date.now;
    const keys = new RedisKeys(options.prefix ?? "rightsize:");
    const connection = await RedisConnection.open({ ...options, now });
    const state = new RedisSharedState(
      connection,
      new RedisBreakers(connection, keys, options.breaker, now),
      new RedisQuotas(connection, keys, now),
      new RedisArtifacts(connection, keys),
    );
    connection.subscriber.on("message", (channel: string, message: string) => {
      if (channel === keys.breakerChannel) state.breakers.hear(message);
      else if (channel === keys.artifactChannel) state.artifacts.hear(message);
    });
    // Subscribed before open resolves when Redis answers; otherwise queued until it does (and renewed on every reconnect).
    const subscribed = connection.subscriber.subscribe(keys.breakerChannel, keys.artifactChannel).catch(() => undefined);
    if (connection.subscriber.status === "ready") await subscribed;
    return state;
  }

  /**
   * Resolves once every event published before the call has reached this gateway (a PING on the
   * subscription connection is answered after the messages queued before it).
   */
  async sync(): Promise<void> {
    if (this.connection.subscriber.status === "ready") await this.connection.subscriber.ping();
  }

  status(): SharedStateStatus {
    return this.connection.status();
  }

  onStatus(listener: (status: SharedStateStatus) => void): () => void {
    return this.connection.onStatus(listener);
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
