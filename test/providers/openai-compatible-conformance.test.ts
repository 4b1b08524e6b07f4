import { UpstreamError } from "../../src/core/errors.js";
import { OpenAiCompatibleModel } from "../../src/providers/openai-compatible/openai-compatible-model.js";
import { describeProviderConformance } from "./provider-conformance.js";

describeProviderConformance({
  name: "openai-compatible",
  createModel: (baseUrl, apiKey) =>
    new OpenAiCompatibleModel({
      id: "sim-openai",
      provider: "openai-compatible",
      model: "sim-small-upstream",
      baseUrl,
      apiKey,
      assistantPrefill: false,
      maxConnections: 16,
      price: { input: 0, output: 0 },
      contextWindow: 8192,
      tier: "small",
    }),
  askedForJson: (request) => (request.body as { response_format?: { type?: string } }).response_format?.type === "json_object",
  errorFrameClass: UpstreamError,
});
