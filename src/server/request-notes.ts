import type { RightsizeError } from "../core/errors.js";
import type { ClientIdentity } from "./client-identity.js";

/** What the gateway learns about a request on its way, for its error answer and its log row. */
export interface RequestNotes {
  /** When the request arrived (epoch ms) and on the monotonic clock. */
  startedAt: number;
  startedAtMonotonic: number;
  /** The caller's key id, once authenticated (undefined: no client keys, or not yet known). */
  callerId?: string;
  /** The caller's key and its limits, once authenticated. */
  identity?: ClientIdentity;
  /** Authentication passed (or no client keys are configured): the body may be logged. */
  authenticated: boolean;
  /** The engine took the request: it writes the log row, not the HTTP layer. */
  engineOwned: boolean;
  /** The HTTP layer has written this request's log row. */
  logged?: boolean;
  /** The error the request was answered with. */
  error?: RightsizeError;
}

declare module "fastify" {
  interface FastifyRequest {
    notes: RequestNotes;
  }
}
