import { writeFileSync } from "node:fs";
import { gatewayConfigJsonSchema } from "../src/server/gateway-config-schema.js";

const target = new URL("../schema/rightsize.config.schema.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(gatewayConfigJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
