import { parseArgs } from "node:util";
import { startUpstreamSimulator } from "./upstream-simulator.js";

/**
 * Runs the upstream simulator as its own process (for benchmarks and manual tests):
 *   tsx test/support/upstream-simulator-cli.ts --port 9100 [--host 127.0.0.1]
 *     [--fault-rate 0.2 --seed 1 --faults cut:40,reset,server-error] [--default latency:5] [--no-record]
 * Prints the URL on its first stdout line, then serves until SIGINT/SIGTERM.
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    "fault-rate": { type: "string" },
    seed: { type: "string", default: "1" },
    faults: { type: "string", default: "rate-limit-retry-after-ms:10,server-error,unavailable,reset,cut,stall:3,malformed,missing-done" },
    default: { type: "string" },
    "no-record": { type: "boolean", default: false },
  },
});

const simulator = await startUpstreamSimulator({ port: Number(values.port), host: values.host, record: !values["no-record"] });
if (values.default) simulator.setDefault(values.default);
if (values["fault-rate"]) {
  simulator.setFaultMix({ rate: Number(values["fault-rate"]), seed: Number(values.seed), faults: values.faults.split(",") });
}
process.stdout.write(`${simulator.url}\n`);
const stop = (): void => {
  void simulator.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
