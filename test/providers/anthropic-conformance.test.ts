import { OverloadedError } from "../../src/core/errors.js";
import { AnthropicModel } from "../../src/providers/anthropic/anthropic-model.js";
import { describeProviderConformance } from "./provider-conformance.js";

describeProviderConformance({
  name: "anthropic",
  createModel: (baseUrl, apiKey) =>
    new AnthropicModel({
      id: "sim-claude",
      provider: "anthropic",
      model: "claude-sim-upstream",
      baseUrl,
      apiKey,
      anthropicVersion: "2023-06-01",
      defaultMaxTokens: 1024,
      maxConnections: 16,
      price: { input: 0, output: 0 },
      contextWindow: 200_000,
      tier: "large",
    }),
  askedForJson: (request) => String((request.body as { system?: unknown }).system).includes("JSON"),
  errorFrameClass: OverloadedError,
});
