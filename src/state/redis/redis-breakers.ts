import { randomUUID } from "node:crypto";
import { InProcessBreakers } from "../in-process/in-process-breakers.js";
import type { BreakerPass, BreakerPermit, BreakerPolicy, BreakerView, SharedBreakers } from "../shared-breakers.js";
import type { RedisConnection } from "./redis-connection.js";
import { UNAVAILABLE } from "./redis-connection.js";
import type { RedisKeys } from "./redis-keys.js";
import { breakerAcquire, breakerFailure, breakerRelease, breakerSuccess } from "./redis-scripts.js";

interface Mirror {
  failures: number;
  openUntil: number;
  /** The circuit's revision in Redis: an older event or reply never overwrites a newer one. */
  revision: number;
}

/** A breaker event on the channel: model, failures, open-until (0: closed), revision. */
interface BreakerMessage {
  m: string;
  f: number;
  ou: number;
  r: number;
}

/**
 * Circuit breakers in Redis. Each gateway mirrors every circuit it has heard of (from its own
 * scripts and from the other gateways' events on the channel), so the common case — a closed
 * circuit — costs no round trip: only failures, the first success after them, a half-open probe
 * and a model seen for the first time go to Redis. While Redis is unreachable, a local breaker
 * decides, and the mirror is rebuilt from Redis when it is back.
 */
export class RedisBreakers implements SharedBreakers {
  private readonly mirror = new Map<string, Mirror>();
  private readonly local: InProcessBreakers;

  constructor(
    private readonly connection: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly policy: BreakerPolicy,
    private readonly now: () => number,
  ) {
    this.local = new InProcessBreakers(policy, now, false);
    connection.onReconnect(() => this.mirror.clear());
  }

  /** A message on the breaker channel. */
  hear(message: string): void {
    try {
      const event = JSON.parse(message) as BreakerMessage;
      this.learn(event.m, { failures: Number(event.f), openUntil: Number(event.ou), revision: Number(event.r) });
    } catch {
      // not ours
    }
  }

  async acquire(model: string): Promise<BreakerPermit> {
    if (!this.connection.connected) return this.local.acquireNow(model);
    const known = this.mirror.get(model);
    const now = this.now();
    if (known && known.openUntil === 0) return { allowed: true, probe: false, token: "", shared: true };
    if (known && now < known.openUntil) return { allowed: false, retryInMs: known.openUntil - now };
    const token = randomUUID();
    const probeTimeout = this.policy.probeTimeoutMs ?? this.policy.cooldownMs;
    const reply = await this.connection.run((redis) => breakerAcquire.run(redis, [this.keys.breaker(model)], [now, token, probeTimeout]));
    if (reply === UNAVAILABLE) return this.local.acquireNow(model);
    const [verdict, retryInMs, failures, openUntil, revision] = (reply as number[]).map(Number) as [number, number, number, number, number];
    this.learn(model, { failures, openUntil, revision }, true);
    if (verdict === 0) return { allowed: false, retryInMs };
    return { allowed: true, probe: verdict === 2, token: verdict === 2 ? token : "", shared: true };
  }

  async onSuccess(model: string, pass: BreakerPass): Promise<void> {
    if (!pass.shared) return this.local.onSuccess(model, pass);
    const known = this.mirror.get(model);
    if (!pass.probe && known && known.failures === 0 && known.openUntil === 0) return;
    const reply = await this.connection.run((redis) =>
      breakerSuccess.run(redis, [this.keys.breaker(model)], [this.keys.breakerChannel, model]),
    );
    if (reply !== UNAVAILABLE) this.learn(model, { failures: 0, openUntil: 0, revision: Number((reply as number[])[1]) });
  }

  async onFailure(model: string, pass: BreakerPass): Promise<void> {
    if (!pass.shared) return this.local.onFailure(model, pass);
    const reply = await this.connection.run((redis) =>
      breakerFailure.run(
        redis,
        [this.keys.breaker(model)],
        [this.now(), this.policy.failureThreshold, this.policy.cooldownMs, pass.probe ? pass.token : "", this.keys.breakerChannel, model],
      ),
    );
    if (reply === UNAVAILABLE) return this.local.onFailure(model, { ...pass, probe: false });
    const [failures, openUntil, revision] = (reply as number[]).map(Number) as [number, number, number];
    this.learn(model, { failures, openUntil, revision });
  }

  async release(model: string, pass: BreakerPass): Promise<void> {
    if (!pass.shared) return this.local.release(model, pass);
    if (!pass.probe) return;
    await this.connection.run((redis) => breakerRelease.run(redis, [this.keys.breaker(model)], [pass.token]));
  }

  /** Takes a newer state; a read that finds no circuit at all (expired after a day without change) resets it. */
  private learn(model: string, state: Mirror, read = false): void {
    const known = this.mirror.get(model);
    if (!known || state.revision >= known.revision || (read && state.revision === 0)) this.mirror.set(model, state);
  }

  view(model: string): BreakerView {
    if (!this.connection.connected) return this.local.view(model);
    const known = this.mirror.get(model);
    if (!known || known.openUntil === 0) return { state: "closed", failures: known?.failures ?? 0, retryInMs: 0 };
    const now = this.now();
    if (now < known.openUntil) return { state: "open", failures: known.failures, retryInMs: known.openUntil - now };
    return { state: "half-open", failures: known.failures, retryInMs: 0 };
  }
}
