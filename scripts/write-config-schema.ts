import { writeFileSync } from "node:fs";
import { configJsonSchema } from "../src/config/config-json-schema.js";

const target = new URL("../schema/rightsize.config.schema.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
