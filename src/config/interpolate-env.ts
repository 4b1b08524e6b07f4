/**
 * Replaces `${NAME}` (and `${NAME:-default}`) in every string of a parsed config document with
 * the environment's value. A missing variable without a default is reported with its path.
 */
export interface MissingEnvVariable {
  path: (string | number)[];
  name: string;
}

const reference = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolateEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  missing: MissingEnvVariable[],
  path: (string | number)[] = [],
): unknown {
  if (typeof value === "string") {
    if (!value.includes("${")) return value;
    return value.replace(reference, (_match, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== "") return found;
      if (fallback !== undefined) return fallback;
      missing.push({ path, name });
      return "";
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => interpolateEnv(item, env, missing, [...path, index]));
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = interpolateEnv(item, env, missing, [...path, key]);
    return out;
  }
  return value;
}
