import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { RightsizeConfig } from "../config/config-schema.js";
import { OverloadedError } from "../core/errors.js";
import { buildGateway, type BuildGatewayOptions, type Gateway } from "./build-gateway.js";
import { createApp } from "./create-app.js";
import { createLogger } from "./create-logger.js";

export interface StartGatewayOptions extends BuildGatewayOptions {
  config: RightsizeConfig;
  logger?: Logger;
  /** Override config.server.port (0 = any free port). */
  port?: number;
  host?: string;
}

export interface CloseOptions {
  /** How long in-flight requests may finish (default: `server.timeouts.shutdownGraceMs`); a second call with 0 cuts it short. */
  graceMs?: number;
}

export interface RunningGateway {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  gateway: Gateway;
  app: FastifyInstance;
  /**
   * Stops accepting (new requests get 503), lets in-flight requests finish for the grace period,
   * then ends the rest (a stream ends with an error frame, a JSON request gets 503), closes every
   * connection and flushes the request log.
   */
  close(options?: CloseOptions): Promise<void>;
}

/** After the grace period, how long the ended requests get to write their error frame. */
const ERROR_FRAME_MS = 2_000;

export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(options.config.server.logLevel);
  const gateway = await buildGateway(options.config, {
    ...options,
    onStoreError: options.onStoreError ?? ((error) => logger.warn({ err: error }, `request log: ${error.message}`)),
    onRouterReload:
      options.onRouterReload ??
      ((reload) => {
        if (reload.outcome === "swapped") {
          logger.info(
            reload,
            `router ${reload.router}: artifact ${reload.version} serves now (was ${reload.previousVersion}; ${reload.trigger})`,
          );
        } else if (reload.outcome === "refused") {
          logger.warn(reload, `router ${reload.router}: artifact refused, ${reload.version} keeps serving: ${reload.error}`);
        }
      }),
    onCanaryDecision:
      options.onCanaryDecision ??
      ((status) => logger.warn(status, `canary ${status.candidate} vs ${status.incumbent}: ${status.decision}`)),
    onRetrain:
      options.onRetrain ??
      ((run) => {
        const line = `retrain ${run.router} (${run.trigger}): ${run.outcome}; ${run.detail}`;
        if (run.outcome === "failed") logger.warn(run, line);
        else logger.info(run, line);
      }),
    onKeysError: options.onKeysError ?? ((error) => logger.warn({ err: error }, `keys and limits: ${error.message}`)),
    onStateStatus:
      options.onStateStatus ??
      ((status) => {
        if (status.state === "degraded") {
          logger.warn(
            `shared state (${status.kind}) unreachable: ${status.lastError ?? "unknown error"}; serving with this gateway's local breakers and limits, reconnecting with backoff`,
          );
        } else logger.info(`shared state (${status.kind}) reachable again after ${status.reconnects} reconnect(s)`);
      }),
  });
  const app = createApp(gateway, logger);
  const host = options.host ?? options.config.server.host;
  await app.listen({ port: options.port ?? options.config.server.port, host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  let cutGrace: (() => void) | undefined;
  const shutdown = async (graceMs: number) => {
    const { inFlight } = gateway;
    inFlight.draining = true;
    const closed = app.close();
    const grace = new Promise<void>((resolve) => {
      cutGrace = resolve;
      setTimeout(resolve, graceMs).unref();
    });
    await Promise.race([inFlight.whenIdle(), grace]);
    if (inFlight.size > 0) {
      logger.warn(`shutdown: ${inFlight.size} request(s) still running after the ${graceMs} ms grace period; ending them`);
      inFlight.abortAll(new OverloadedError("The gateway shut down before the answer was complete.", { code: "shutting_down" }));
      await Promise.race([inFlight.whenIdle(), delay(ERROR_FRAME_MS)]);
    }
    // Idle keep-alive connections would hold app.close() for the keep-alive timeout.
    app.server.closeIdleConnections();
    await Promise.race([closed, delay(ERROR_FRAME_MS)]);
    app.server.closeAllConnections();
    await closed;
    await gateway.close();
  };
  return {
    url: `http://${shownHost === "0.0.0.0" ? "127.0.0.1" : shownHost}:${port}`,
    port,
    gateway,
    app,
    close(closeOptions: CloseOptions = {}) {
      const graceMs = closeOptions.graceMs ?? options.config.server.timeouts.shutdownGraceMs;
      if (closing) {
        if (graceMs === 0) cutGrace?.();
        return closing;
      }
      closing = shutdown(graceMs);
      return closing;
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
