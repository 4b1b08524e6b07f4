import type { ChatRequest } from "../../../../core/chat-request.js";
import { checkJsonSchema } from "./json-schema-check.js";
import type { QualityGate } from "./quality-gate.js";

export interface FormatGateOptions {
  /** The answer must parse as JSON (default: when the request asks for JSON output). */
  json?: boolean;
  /** Check the request's json_schema when it has one (default true). */
  schema?: boolean;
  regex?: string;
}

/** Format validity: JSON that parses, conforms to the request's json_schema, matches a regex. */
export function formatGate(options: FormatGateOptions): QualityGate {
  const regex = options.regex === undefined ? undefined : new RegExp(options.regex, "s");
  return {
    name: "format",
    needsLogprobs: false,
    earlyTokens: undefined,
    async evaluate(input) {
      const schema = options.schema === false ? undefined : requestSchema(input.request);
      const wantsJson = options.json ?? (schema !== undefined || wantsJsonOutput(input.request));
      const checks: string[] = [];
      if (wantsJson || schema) {
        let value: unknown;
        try {
          value = JSON.parse(stripFence(input.text));
        } catch (error) {
          return { pass: false, score: 0, reason: `format: not JSON (${error instanceof Error ? error.message : String(error)})` };
        }
        checks.push("JSON parses");
        if (schema) {
          const problem = checkJsonSchema(schema, value);
          if (problem) return { pass: false, score: 0.25, reason: `format: does not match the json_schema: ${problem}` };
          checks.push("matches the json_schema");
        }
      }
      if (regex) {
        if (!regex.test(input.text)) return { pass: false, score: 0, reason: `format: does not match /${regex.source}/` };
        checks.push(`matches /${regex.source}/`);
      }
      return { pass: true, score: 1, reason: `format: ${checks.length ? checks.join(", ") : "nothing to check"}` };
    },
  };
}

function wantsJsonOutput(request: ChatRequest): boolean {
  const type = request.response_format?.type;
  return type === "json_object" || type === "json_schema";
}

function requestSchema(request: ChatRequest): object | undefined {
  const format = request.response_format;
  return format?.type === "json_schema" ? format.json_schema.schema : undefined;
}

/** Small models often wrap JSON in a ```json fence. */
function stripFence(text: string): string {
  const match = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return match?.[1] ?? text;
}
