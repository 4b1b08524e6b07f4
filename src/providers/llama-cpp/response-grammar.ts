import type { Llama, LlamaGrammar } from "node-llama-cpp";
import type { ChatRequest } from "../../core/chat-request.js";
import { InvalidRequestError } from "../../core/errors.js";

/**
 * The grammar that enforces `response_format`: an arbitrary JSON object for `json_object`, the given
 * schema for `json_schema` (node-llama-cpp's JSON-schema-to-GBNF subset: object, array, string,
 * number, integer, boolean, null, enum, const, anyOf/oneOf, $ref/$defs, string formats); none for text.
 */
export async function createResponseGrammar(llama: Llama, request: ChatRequest): Promise<LlamaGrammar | undefined> {
  const format = request.response_format;
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object") return llama.getGrammarFor("json");
  if (format.type === "json_schema") {
    const schema = format.json_schema.schema;
    if (!schema) return llama.getGrammarFor("json");
    try {
      return await llama.createGrammarForJsonSchema(schema as Parameters<Llama["createGrammarForJsonSchema"]>[0]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new InvalidRequestError(`response_format.json_schema.schema is not supported by the local model's grammar: ${reason}`, {
        param: "response_format",
        cause: error,
      });
    }
  }
  throw new InvalidRequestError(`response_format.type ${JSON.stringify((format as { type: string }).type)} is not supported`, {
    param: "response_format",
  });
}
