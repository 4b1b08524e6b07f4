import { z } from "zod";

type Check = (value: unknown) => string | null;
const compiled = new WeakMap<object, Check>();

/**
 * Checks a value against a JSON Schema (the request's `response_format.json_schema.schema`)
 * with zod's JSON Schema support; compiled once per schema object. Returns null when the value
 * conforms, else the first problem as `path: message`. A schema zod cannot compile is reported
 * as such, never thrown.
 */
export function checkJsonSchema(schema: object, value: unknown): string | null {
  let check = compiled.get(schema);
  if (!check) {
    check = compile(schema);
    compiled.set(schema, check);
  }
  return check(value);
}

function compile(schema: object): Check {
  let type: z.ZodType;
  try {
    type = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (error) {
    const message = `the json_schema could not be compiled: ${error instanceof Error ? error.message : String(error)}`;
    return () => message;
  }
  return (value) => {
    const result = type.safeParse(value);
    if (result.success) return null;
    const issue = result.error.issues[0];
    const path = issue?.path.length ? issue.path.map(String).join(".") : "(root)";
    return `${path}: ${issue?.message ?? "does not match the schema"}`;
  };
}
