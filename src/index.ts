/** rightsize as a library: the public API (re-exports only). */
export type { ChatMessage, ChatRequest, ContentPart, ResponseFormat, ToolCall, ToolDefinition } from "./core/chat-request.js";
export type { ChatChoice, ChatResult, FinishReason, TokenLogprob } from "./core/chat-result.js";
export type { StreamPart } from "./core/stream-part.js";
export type { Usage } from "./core/usage.js";
export type { CallOptions, EmbeddingRequest, EmbeddingResult, LanguageModel, ModelCapabilities } from "./core/language-model.js";
export * from "./core/errors.js";

export type { RightsizeConfig, RightsizeConfigInput, ModelConfig, RouterConfig } from "./config/config-schema.js";
export { configSchema, createConfigSchema, type RouterSettingsSchemas } from "./config/config-schema.js";
export type { LoadedConfig } from "./config/load-config.js";
export { ConfigError } from "./config/config-error.js";
export { configJsonSchema } from "./config/config-json-schema.js";
export { gatewayConfigJsonSchema, gatewayConfigSchema, routerSettingsSchemas } from "./server/gateway-config-schema.js";
// loadConfig / parseConfig check every router kind's settings too (registered kinds included).
export { loadGatewayConfig as loadConfig, parseGatewayConfig as parseConfig } from "./server/load-gateway-config.js";

export type { RouteContext, RouteDecision, Router } from "./routing/router.js";
export { createRouter, routerKinds } from "./engine/strategies/create-router.js";
export {
  registerRouterKind,
  RouterSettingsError,
  type RouterFactory,
  type RouterKindOptions,
} from "./routing/router-registry.js";
export { extractRequestFeatures, type RequestFeatures } from "./routing/request-features.js";

export { createLanguageModel } from "./providers/provider-registry.js";

export { PriceTable } from "./pricing/price-table.js";
export { estimatePromptTokens, estimateTokens } from "./pricing/estimate-tokens.js";
export { counterfactualCost } from "./pricing/counterfactual-cost.js";

export type {
  AttemptRecord,
  EpisodeInfo,
  ExchangeQuery,
  LoggedExchange,
  RequestLogReader,
  RequestLogRecord,
  RequestLogStore,
} from "./storage/request-log-store.js";
export type { FeedbackQuery, FeedbackRecord, FeedbackSource, FeedbackSummary, FeedbackValue } from "./storage/feedback-record.js";
export type { ShadowQuery, ShadowRecord, ShadowSummary } from "./storage/shadow-record.js";
export { type ExportOutcomesOptions, exportOutcomes } from "./learning/export/export-outcomes.js";
export { type ExportDistillOptions, exportDistill } from "./learning/export/export-distill.js";
export { createRequestLogStore } from "./storage/create-request-log-store.js";
export { MemoryRequestLogStore } from "./storage/memory-request-log-store.js";
export { redactSecrets } from "./storage/redact-secrets.js";
export { PostgresRequestLogStore } from "./storage/postgres/postgres-request-log-store.js";
export type { PostgresLogStatus, PostgresRequestLogStoreOptions } from "./storage/postgres/postgres-request-log-store-options.js";

export type { SharedState } from "./state/shared-state.js";
export type { SharedStateStatus } from "./state/shared-state-status.js";
export type { BreakerPass, BreakerPermit, BreakerPolicy, BreakerView, SharedBreakers } from "./state/shared-breakers.js";
export type { Budget, QuotaDecision, QuotaLedger, QuotaRequest, QuotaReservation, RateLimit } from "./state/quota-ledger.js";
export type { ArtifactVersions } from "./state/artifact-versions.js";
export { createSharedState } from "./state/create-shared-state.js";
export type { KeyStore, RotateOptions } from "./storage/keys/key-store.js";
export type { IssuedKey, KeyLimits, NewVirtualKey, VirtualKey } from "./storage/keys/virtual-key.js";
export { createKeyStore } from "./storage/keys/create-key-store.js";
export { MemoryKeyStore } from "./storage/keys/memory-key-store.js";
export { createRedactor, type RedactionOptions, type Redactor } from "./storage/create-redactor.js";
export { PII_KINDS, type PiiKind } from "./storage/pii-rules.js";

export { ChatEngine, type ChatStream, type CompletedChat, type EmbeddedTexts } from "./engine/chat-engine.js";
export type { EngineCallContext, EngineDependencies } from "./engine/engine-dependencies.js";
// Shadow evaluation (docs/shadow-evaluation.md): the judge on its own, for offline judging too.
export type { ShadowConfig } from "./config/shadow-config-schema.js";
export { type AnswerPair, type AskJudge, judgeAnswers, type JudgeSettings } from "./engine/judge/judge-answers.js";
export type { JudgeCall, JudgeMethod, Judgment, JudgeVerdict } from "./engine/judge/judgment.js";
export { parseAbsoluteScore, parsePairwiseVerdict } from "./engine/judge/parse-verdict.js";
export { ShadowScheduler, type ShadowSchedulerOptions } from "./engine/shadow/shadow-scheduler.js";

export { buildGateway, type Gateway } from "./server/build-gateway.js";
export { startGateway, type RunningGateway, type StartGatewayOptions } from "./server/start-gateway.js";
