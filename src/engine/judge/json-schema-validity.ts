import type { ChatRequest } from "../../core/chat-request.js";
import { checkJsonSchema } from "../strategies/cascade/gates/json-schema-check.js";

/** The request's `response_format.json_schema.schema`, when it has one. */
export function requestJsonSchema(request: ChatRequest): object | undefined {
  const format = request.response_format;
  return format?.type === "json_schema" ? format.json_schema.schema : undefined;
}

/**
 * Whether an answer is valid for a json_schema request, without a judge: it parses as JSON
 * (a ```json fence is allowed) and conforms to the schema. Returns null when valid, else why not.
 */
export function jsonSchemaProblem(schema: object, answer: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(stripFence(answer));
  } catch (error) {
    return `not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  const problem = checkJsonSchema(schema, value);
  return problem === null ? null : `does not match the json_schema: ${problem}`;
}

function stripFence(text: string): string {
  const match = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return match?.[1] ?? text;
}
