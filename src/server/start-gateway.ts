import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { RightsizeConfig } from "../config/config-schema.js";
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

export interface RunningGateway {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  gateway: Gateway;
  app: FastifyInstance;
  /** Stops accepting, lets in-flight requests finish, flushes the request log. */
  close(): Promise<void>;
}

export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(options.config.server.logLevel);
  const gateway = await buildGateway(options.config, {
    ...options,
    onStoreError: options.onStoreError ?? ((error) => logger.warn({ err: error }, `request log: ${error.message}`)),
  });
  const app = createApp(gateway, logger);
  const host = options.host ?? options.config.server.host;
  await app.listen({ port: options.port ?? options.config.server.port, host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost === "0.0.0.0" ? "127.0.0.1" : shownHost}:${port}`,
    port,
    gateway,
    app,
    close() {
      closing ??= (async () => {
        await app.close();
        await gateway.close();
      })();
      return closing;
    },
  };
}
