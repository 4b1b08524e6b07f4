import type { BreakerConfig } from "../config/config-schema.js";
import type { StateConfig } from "../config/state-config-schema.js";
import { InProcessSharedState } from "./in-process/in-process-shared-state.js";
import type { SharedState } from "./shared-state.js";

export interface CreateSharedStateOptions {
  /** The clock of windows, periods and cooldowns (tests use a fake one). */
  now?: () => number;
}

/**
 * The shared state the config asks for: in this process (the default), or in Redis (`state.kind:
 * redis`; ioredis is loaded only then). An unreachable Redis does not fail the start: the state
 * begins degraded, on local state, and connects in the background.
 */
export async function createSharedState(
  state: StateConfig,
  breaker: BreakerConfig,
  options: CreateSharedStateOptions = {},
): Promise<SharedState> {
  if (state.kind === "in-process") return new InProcessSharedState(breaker, options.now);
  if (state.url === undefined) throw new Error("state.kind is redis but state.url is not set");
  const { RedisSharedState } = await import("./redis/redis-shared-state.js");
  return RedisSharedState.open({
    url: state.url,
    prefix: state.prefix,
    commandTimeoutMs: state.commandTimeoutMs,
    reconnectMinMs: state.reconnectMinMs,
    reconnectMaxMs: state.reconnectMaxMs,
    breaker,
    now: options.now,
  });
}
