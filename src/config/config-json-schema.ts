import { z } from "zod";
import { configSchema, type RouterSettingsSchemas, routerSchema } from "./config-schema.js";

/**
 * JSON Schema of the config file, for editors (YAML language server, VS Code). Each router kind
 * given here has its own branch (`kind` and its `settings` schema); any other kind keeps loose
 * settings (library users register their own kinds).
 */
export function configJsonSchema(settingsByKind: RouterSettingsSchemas = {}): Record<string, unknown> {
  const schema = z.toJSONSchema(withRouterKinds(settingsByKind), { io: "input", unrepresentable: "any" });
  return {
    ...schema,
    $id: "https://rightsize.dev/schema/rightsize.config.schema.json",
    title: "rightsize configuration",
  };
}

/** The config schema written for JSON Schema: `routers[]` as one branch per known kind, plus one for other kinds. */
function withRouterKinds(settingsByKind: RouterSettingsSchemas) {
  const kinds = Object.keys(settingsByKind).sort();
  if (kinds.length === 0) return configSchema;
  const branches = kinds.map((kind) =>
    routerSchema.extend({
      kind: z.literal(kind),
      settings: (settingsByKind[kind] as z.ZodType).optional().describe(`Settings of a ${kind} router.`),
    }),
  );
  const otherKinds = routerSchema.extend({
    kind: z
      .string()
      .regex(new RegExp(`^(?!(?:${kinds.map(escapeRegExp).join("|")})$)`))
      .describe("A router kind registered by a library user; its settings are checked when the router is built."),
  });
  const router = z.union([...branches, otherKinds]);
  return configSchema.extend({ routers: z.array(router).default([]) });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
