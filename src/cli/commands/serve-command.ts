import type { Command } from "commander";
import { ConfigError } from "../../config/config-error.js";
import { startGateway } from "../../server/start-gateway.js";
import { CliError } from "../cli-error.js";
import { keepRunningOnClosedPipe } from "../closed-pipe.js";
import { OFFLINE_SMALL_MODEL_HINT } from "../default-config.js";
import { describeConfigOrigin, invalidConfig, resolveConfig } from "../resolve-config.js";
import { serveNotices } from "../serve-notices.js";

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("Run the OpenAI-compatible gateway (POST /v1/chat/completions, /v1/embeddings, GET /v1/models, /healthz, /metrics).")
    .option("-c, --config <file>", "config file (default: $RIGHTSIZE_CONFIG, ./rightsize.yaml, or the built-in quickstart config)")
    .option("-p, --port <port>", "listen on this port instead of server.port", parsePort)
    .option("--host <host>", "listen on this address instead of server.host")
    .action(async (options: { config?: string; port?: number; host?: string }) => {
      keepRunningOnClosedPipe();
      const resolved = await resolveConfig(options.config);
      const { config, source, dir, lineOf } = resolved;
      const started = {
        config,
        configDir: dir,
        port: options.port,
        host: options.host,
        source: { file: source, lineOf },
        errorHints: resolved.origin === "builtin" ? { model_download_failed: OFFLINE_SMALL_MODEL_HINT } : undefined,
      };
      const running = await startGateway(started).catch((error: unknown) => {
        if (error instanceof ConfigError) invalidConfig(error);
        throw new CliError(`could not start the gateway: ${error instanceof Error ? error.message : String(error)}`);
      });
      const routers = [...running.gateway.routers.keys()].join(", ") || "(none)";
      const models = [...running.gateway.models.keys()].join(", ");
      const keys = config.server.apiKeys.length;
      const stored = running.gateway.keys.storeKeyCount;
      const inStore = stored ? `, ${stored} in the key store` : stored === undefined ? ", key store unreadable" : "";
      const auth = !running.gateway.keys.required
        ? "none: every caller is accepted"
        : `client keys required (${keys} configured${inStore})`;
      process.stderr.write(
        [
          `rightsize gateway on ${running.url}/v1`,
          `  config:  ${describeConfigOrigin(resolved)}`,
          `  routers: ${routers}`,
          `  models:  ${models}`,
          `  auth:    ${auth}`,
          ...serveNotices(resolved),
          "",
        ].join("\n"),
      );
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (signal: NodeJS.Signals) => {
          if (stopping) {
            process.stderr.write(`rightsize: ${signal} again: ending in-flight requests now\n`);
            void running.close({ graceMs: 0 });
            return;
          }
          stopping = true;
          const graceS = config.server.timeouts.shutdownGraceMs / 1000;
          process.stderr.write(`rightsize: ${signal}: shutting down (in-flight requests have ${graceS} s to finish)\n`);
          running.close().then(resolve, (error: unknown) => {
            process.stderr.write(`rightsize: shutdown: ${error instanceof Error ? error.message : String(error)}\n`);
            resolve();
          });
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      process.stderr.write("rightsize: stopped\n");
      // Everything is closed; should a handle still hold the event loop, do not hang on it.
      setTimeout(() => process.exit(), 1_000).unref();
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port: "${value}" is not a port number`, 2);
  return port;
}
