/**
 * A gateway from source as its own process (tests that run several, or kill one):
 *   tsx test/support/serve-gateway-process.ts <config file>
 * Prints `gateway on <url> pid <pid>` to stderr; on SIGTERM finishes in-flight requests, flushes
 * the request log and exits.
 */
import { loadGatewayConfig } from "../../src/server/load-gateway-config.js";
import { startGateway } from "../../src/server/start-gateway.js";

const file = process.argv[2];
if (!file) throw new Error("usage: serve-gateway-process.ts <config file>");
const { config, dir } = await loadGatewayConfig(file);
const running = await startGateway({ config, configDir: dir, host: "127.0.0.1" });
process.stderr.write(`gateway on ${running.url} pid ${process.pid}\n`);
process.once("SIGTERM", () => {
  void running.close({ graceMs: 2_000 }).then(() => process.exit(0));
});
