import type { z } from "zod";
import { RouterSettingsError } from "./router-settings-error.js";

/** Validates a router's `settings` with its kind's schema; the error names the field. */
export function parseRouterSettings<S extends z.ZodType>(schema: S, settings: unknown): z.output<S> {
  const result = schema.safeParse(settings);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = ["settings", ...(issue?.path ?? [])]
    .map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join("");
  throw new RouterSettingsError(path, issue?.message ?? "invalid settings");
}
