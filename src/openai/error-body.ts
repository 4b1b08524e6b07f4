import type { RightsizeError } from "../core/errors.js";

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** The one place an error becomes OpenAI's error body. */
export function toOpenAiErrorBody(error: RightsizeError): OpenAiErrorBody {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}
