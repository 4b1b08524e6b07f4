/**
 * Runs the gateway from source as its own process for benchmarks: `tsx bench/support/serve-gateway.ts <config>`.
 * Prints `gateway on <url>`; on SIGTERM stops accepting, finishes in-flight requests, flushes
 * the request log and exits.
 */
import { loadGatewayConfig } from "../../src/server/load-gateway-config.js";
import { startGateway } from "../../src/server/start-gateway.js";

const file = process.argv[2];
if (!file) throw new Error("usage: serve-gateway.ts <config file>");
const { config } = await loadGatewayConfig(file);
const running = await startGateway({ config, port: 0, host: "127.0.0.1" });
process.stderr.write(`gateway on ${running.url} pid ${process.pid}\n`);
process.once("SIGTERM", () => {
  void running.close().then(() => process.exit(0));
});
