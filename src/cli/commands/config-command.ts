import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { configJsonSchema } from "../../config/config-json-schema.js";
import { createRouter, RouterSettingsError } from "../../routing/router-registry.js";
import { CliError } from "../cli-error.js";
import { resolveConfig } from "../resolve-config.js";

export function registerConfigCommand(program: Command): void {
  const config = program.command("config").description("Validate a config file or print its JSON Schema.");
  config
    .command("check")
    .description("Validate a config file: schema, references, router settings and learned-router artifacts.")
    .argument("[file]", "config file (default: $RIGHTSIZE_CONFIG or ./rightsize.yaml)")
    .action(async (file: string | undefined) => {
      const resolved = await resolveConfig(file);
      for (const [i, routerConfig] of resolved.config.routers.entries()) {
        try {
          await createRouter(routerConfig, { models: resolved.config.models, configDir: resolved.dir });
        } catch (error) {
          const where = error instanceof RouterSettingsError ? `routers[${i}].${error.path}` : `routers[${i}]`;
          throw new CliError(`invalid config:\n${resolved.source}: ${where}: ${(error as Error).message}`, 2);
        }
      }
      const { models, routers } = resolved.config;
      process.stdout.write(`${resolved.source}: ok (${models.length} models, ${routers.length} routers)\n`);
    });
  config
    .command("schema")
    .description("Print (or write) the JSON Schema of the config file, for editors.")
    .option("-o, --out <file>", "write to this file instead of stdout")
    .action((options: { out?: string }) => {
      const text = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
      if (options.out) writeFileSync(options.out, text);
      else process.stdout.write(text);
    });
}
