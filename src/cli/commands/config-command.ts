import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { assertLoraAdapterFiles } from "../../providers/llama-cpp/lora-adapters.js";
import { buildRouters } from "../../server/build-routers.js";
import { gatewayConfigJsonSchema } from "../../server/gateway-config-schema.js";
import { invalidConfig, resolveConfig } from "../resolve-config.js";
import { writeExampleConfig } from "../write-example-config.js";

export function registerConfigCommand(program: Command): void {
  const config = program.command("config").description("Validate a config file or print its JSON Schema.");
  config
    .command("check")
    .description("Validate a config file: schema, references, LoRA adapter files, router settings and learned-router artifacts.")
    .argument("[file]", "config file (default: $RIGHTSIZE_CONFIG or ./rightsize.yaml)")
    .action(async (file: string | undefined) => {
      const resolved = await resolveConfig(file);
      const source = { file: resolved.source, lineOf: resolved.lineOf };
      try {
        assertLoraAdapterFiles(resolved.config, resolved.dir, source);
      } catch (error) {
        invalidConfig(error);
      }
      await buildRouters(resolved.config, { configDir: resolved.dir, source }).catch(invalidConfig);
      const { models, routers } = resolved.config;
      process.stdout.write(`${resolved.source}: ok (${models.length} models, ${routers.length} routers)\n`);
    });
  config
    .command("init")
    .description("Write the commented example config, its $schema line pointing at the JSON Schema for editors.")
    .argument("[file]", "where to write it", "rightsize.yaml")
    .option("--force", "overwrite the file if it exists")
    .action(async (file: string, options: { force?: boolean }) => {
      const written = await writeExampleConfig(file, options);
      process.stdout.write(`wrote ${written} (the commented example: edit it, then rightsize config check ${file})\n`);
    });
  config
    .command("schema")
    .description("Print (or write) the JSON Schema of the config file, for editors.")
    .option("-o, --out <file>", "write to this file instead of stdout")
    .action((options: { out?: string }) => {
      const text = `${JSON.stringify(gatewayConfigJsonSchema(), null, 2)}\n`;
      if (options.out) writeFileSync(options.out, text);
      else process.stdout.write(text);
    });
}
