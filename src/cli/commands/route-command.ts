import type { Command } from "commander";
import type { ChatRequest } from "../../core/chat-request.js";
import { extractRequestFeatures } from "../../routing/request-features.js";
import { buildRouter } from "../../server/build-routers.js";
import { CliError } from "../cli-error.js";
import { invalidConfig, resolveConfig } from "../resolve-config.js";

interface RouteOptions {
  config?: string;
  router?: string;
  system?: string;
  header?: string[];
  json?: boolean;
}

export function registerRouteCommand(program: Command): void {
  program
    .command("route")
    .description("Show which model a router picks for a prompt, and why, without calling any model.")
    .argument("<prompt>", "the user message")
    .option("-c, --config <file>", "config file")
    .option("-r, --router <id>", "router id (default: the first configured router)")
    .option("-s, --system <text>", "a system prompt")
    .option("-H, --header <name:value>", "a request header the router may read (repeatable)", collect, [])
    .option("--json", "print the decision as JSON")
    .action(async (prompt: string, options: RouteOptions) => {
      const { config, dir, source, lineOf } = await resolveConfig(options.config);
      const index = options.router ? config.routers.findIndex((r) => r.id === options.router) : 0;
      if (!config.routers[index]) {
        const known = config.routers.map((r) => r.id).join(", ") || "(none configured)";
        throw new CliError(`no router ${options.router ? `"${options.router}"` : ""} in the config; routers: ${known}`, 2);
      }
      const router = await buildRouter(config, index, { configDir: dir, source: { file: source, lineOf } }).catch(invalidConfig);
      const request: ChatRequest = {
        model: router.id,
        messages: [...(options.system ? [{ role: "system" as const, content: options.system }] : []), { role: "user", content: prompt }],
      };
      const headers: Record<string, string> = {};
      for (const header of options.header ?? []) {
        const at = header.indexOf(":");
        if (at <= 0) throw new CliError(`--header "${header}": write it as name:value`, 2);
        headers[header.slice(0, at).trim().toLowerCase()] = header.slice(at + 1).trim();
      }
      const decision = await router.decide(request, { headers });
      const { allText: _text, lastUserText: _last, ...features } = extractRequestFeatures(request);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ router: router.id, kind: router.kind, ...decision, features }, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        [
          `router:   ${router.id} (${router.kind})`,
          `target:   ${decision.target}`,
          `score:    ${decision.score.toFixed(4)}`,
          `reason:   ${decision.reason}`,
          `features: ${Object.entries(features)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(" ")}`,
          ...(decision.details ? [`details:  ${JSON.stringify(decision.details)}`] : []),
        ].join("\n") + "\n",
      );
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
