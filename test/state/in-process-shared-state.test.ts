import { InProcessSharedState } from "../../src/state/in-process/in-process-shared-state.js";
import { describeSharedStateConformance, POLICY } from "./shared-state-conformance.js";

describeSharedStateConformance("InProcessSharedState", async (clock) => {
  const state = new InProcessSharedState(POLICY, clock.now);
  return { a: state, b: state, heard: async () => undefined, cleanup: () => state.close() };
});
