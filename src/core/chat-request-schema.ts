import { z } from "zod";

/**
 * The wire request of POST /v1/chat/completions, and the source of the core request types
 * (`src/core/chat-request.ts` infers them from here). Lenient where OpenAI is (unknown fields
 * pass through to upstreams, unknown content-part kinds too), strict where a wrong value would
 * only fail later upstream.
 */
export const jsonObjectSchema = z.record(z.string(), z.unknown());

export const textContentPartSchema = z.looseObject({ type: z.literal("text"), text: z.string() });

export const imageContentPartSchema = z.looseObject({
  type: z.literal("image_url"),
  image_url: z.looseObject({ url: z.string(), detail: z.string().optional() }),
});

/** Other part kinds (input_audio, file, …) pass through untouched. */
export const otherContentPartSchema = z.looseObject({ type: z.string().min(1) });

export const contentPartSchema = z.union([textContentPartSchema, imageContentPartSchema, otherContentPartSchema]);

export const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

export const messageRoleSchema = z.enum(["system", "developer", "user", "assistant", "tool"], {
  error: (issue) => `unknown role ${JSON.stringify(issue.input)}; use one of system, developer, user, assistant, tool`,
});

export const chatMessageSchema = z.looseObject({
  role: messageRoleSchema,
  content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  tool_call_id: z.string().optional(),
  /** OpenAI "assistant prefix" / continuation flag understood by some upstreams (DeepSeek, Mistral, vLLM). */
  prefix: z.boolean().optional(),
});

export const toolDefinitionSchema = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: jsonObjectSchema.optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

export const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string() }) }),
]);

export const responseFormatSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: z.string().min(1),
      description: z.string().optional(),
      schema: jsonObjectSchema.optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);

const nullableNumber = z.number().nullable().optional();

export const chatRequestSchema = z.looseObject({
  model: z.string({ error: "you must provide a model parameter" }).min(1, "you must provide a model parameter"),
  messages: z
    .array(chatMessageSchema, { error: "messages must be an array of message objects" })
    .min(1, "messages must contain at least one message"),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  n: z.number().int().min(1).max(128).nullable().optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)])
    .nullable()
    .optional(),
  seed: z.number().int().nullable().optional(),
  presence_penalty: nullableNumber,
  frequency_penalty: nullableNumber,
  logprobs: z.boolean().nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  tools: z.array(toolDefinitionSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  response_format: responseFormatSchema.optional(),
  user: z.string().optional(),
});
