import { AuthenticationError } from "../core/errors.js";
import { hashKey } from "./hash-key.js";

/**
 * The caller id for a bearer key, or undefined when no client keys are configured.
 * Throws a 401 for a missing or unknown key.
 */
export function authenticate(clientKeys: ReadonlyMap<string, string>, authorization: string | undefined): string | undefined {
  if (clientKeys.size === 0) return undefined;
  if (!authorization) {
    throw new AuthenticationError("You didn't provide an API key. Send it in the Authorization header as 'Bearer YOUR_KEY'.", {
      code: "missing_api_key",
    });
  }
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  const id = match?.[1] ? clientKeys.get(hashKey(match[1].trim())) : undefined;
  if (id === undefined) throw new AuthenticationError("Incorrect API key provided.");
  return id;
}
