import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "./cli-error.js";

/** The package folder: src/cli or dist/cli sit two levels below it. */
const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
export const EXAMPLE_CONFIG = path.join(packageRoot, "examples", "rightsize.yaml");
export const CONFIG_JSON_SCHEMA = path.join(packageRoot, "schema", "rightsize.config.schema.json");

/**
 * Writes the commented example config to `destination`, its `yaml-language-server: $schema=`
 * line rewritten to point at the JSON Schema from where the copy lives (a plain `cp` would keep
 * the example's `../schema/…`, wrong anywhere but in examples/). Refuses to overwrite unless told.
 */
export async function writeExampleConfig(destination: string, options: { force?: boolean } = {}): Promise<string> {
  const target = path.resolve(destination);
  const text = await readFile(EXAMPLE_CONFIG, "utf8");
  let schema = path.relative(path.dirname(target), CONFIG_JSON_SCHEMA).split(path.sep).join("/");
  if (!schema.startsWith(".")) schema = `./${schema}`;
  const written = text.replace(/^(# yaml-language-server: \$schema=)\S+/m, `$1${schema}`);
  try {
    await writeFile(target, written, { flag: options.force ? "w" : "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new CliError(`${destination} exists already (--force overwrites it)`, 2);
    throw error;
  }
  return target;
}
