/**
 * An upstream's answer body as it came, attached (not enumerable) to the value parsed from it
 * when the parsed value is exactly that body: the HTTP layer can send those bytes instead of
 * serializing the value again. Any copy of the value (a changed answer) drops it.
 */
const WIRE_BODY = Symbol("rightsize.wireBody");

export function withWireBody<T extends object>(value: T, text: string): T {
  Object.defineProperty(value, WIRE_BODY, { value: text, enumerable: false });
  return value;
}

export function wireBodyOf(value: object): string | undefined {
  const text = (value as { [WIRE_BODY]?: unknown })[WIRE_BODY];
  return typeof text === "string" ? text : undefined;
}
