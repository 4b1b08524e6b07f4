/**
 * The upstream simulator for `bench/load`, as its own process: short default answers, and a
 * seeded mix of faults on `--fault-rate` of the requests (every upstream call draws, retries
 * and continuations included). Faulty stream answers are 80 tokens long so that cuts after 40
 * or 60 tokens happen mid-answer. Prints its URL, serves until SIGTERM.
 *   tsx bench/support/load-simulator.ts --fault-rate 0.2 --seed 1
 */
import { parseArgs } from "node:util";
import { simText, type SimScenario } from "../../test/support/sim-scenario.js";
import { startUpstreamSimulator } from "../../test/support/upstream-simulator.js";

const { values } = parseArgs({ options: { "fault-rate": { type: "string", default: "0.2" }, seed: { type: "string", default: "1" } } });
const long = simText(80);

/** The scenarios of the fault-injection suite, in the proportions a bad day might bring. */
const LOAD_FAULTS: (SimScenario | string)[] = [
  "rate-limit-retry-after-ms:20",
  "rate-limit",
  "server-error",
  "unavailable",
  "reset",
  "silence",
  "slow-first-token:600",
  { content: long, fault: "cut", afterTokens: 40 },
  { content: long, fault: "cut", afterTokens: 60 },
  { content: long, fault: "stall", afterTokens: 30 },
  { content: long, fault: "malformed", afterTokens: 20 },
  { content: long, fault: "missing-done", afterTokens: 50 },
  { content: long, fault: "error-frame", afterTokens: 10 },
  "content-filter",
  "context-length:1",
  "reject-prefill",
];

const sim = await startUpstreamSimulator({ port: 0, record: false });
sim.setFaultMix({ rate: Number(values["fault-rate"]), seed: Number(values.seed), faults: LOAD_FAULTS });
process.stdout.write(`${sim.url}\n`);
const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
