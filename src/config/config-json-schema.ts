import { z } from "zod";
import { configSchema } from "./config-schema.js";

/** JSON Schema of the config file, for editors (YAML language server, VS Code). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" });
  return {
    ...schema,
    $id: "https://rightsize.dev/schema/rightsize.config.schema.json",
    title: "rightsize configuration",
  };
}
