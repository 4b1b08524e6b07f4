import { RightsizeError } from "../../core/errors.js";
import type { RightsizeErrorOptions } from "../../core/errors.js";

/**
 * A local model file that cannot be served: missing, not a GGUF file, truncated, too large
 * for the free memory, or an `hf:` file that is not downloaded and cannot be. A configuration
 * problem of this gateway, not of the client's request: it answers 503 `model_unavailable`
 * (not retryable on the same model; the engine may fall back to another) and its message
 * names the file and what to do. The process keeps serving other models.
 */
export class ModelFileError extends RightsizeError {
  readonly filePath: string;
  constructor(message: string, filePath: string, options: Omit<RightsizeErrorOptions, "status" | "type" | "retryable"> = {}) {
    super(message, {
      code: "model_unavailable",
      ...options,
      status: 503,
      type: "server_error",
      retryable: false,
    });
    this.filePath = filePath;
  }
}
