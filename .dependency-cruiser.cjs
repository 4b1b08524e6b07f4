/**
 * The layer rule of docs/architecture.md as a check (`npm run lint`). Each folder of src/ sits in
 * one layer; a module may import only from its own layer or the layers listed for it. Anything
 * not allowed here fails, as does any import cycle. Tests and benchmarks are not checked.
 */
const layers = {
  core: [],
  config: ["core"],
  openai: ["core", "config"],
  pricing: ["core", "config"],
  storage: ["core", "config", "pricing"],
  state: ["core", "config"],
  providers: ["core", "config", "openai", "pricing"],
  routing: ["core", "config", "pricing"],
  engine: ["core", "config", "openai", "pricing", "routing", "storage", "state"],
  learning: ["core", "config", "openai", "pricing", "routing", "storage"],
  server: ["core", "config", "openai", "pricing", "providers", "routing", "storage", "state", "engine", "learning"],
  cli: ["core", "config", "openai", "pricing", "providers", "routing", "storage", "state", "engine", "learning", "server"],
};

const allowed = Object.entries(layers).map(([layer, below]) => ({
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${[layer, ...below].join("|")})/` },
}));

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "Import cycles make layers meaningless.", from: {}, to: { circular: true } },
    {
      name: "unplaced-folder",
      severity: "error",
      comment: "Every folder of src/ belongs to a layer (add it to .dependency-cruiser.cjs and docs/architecture.md).",
      from: { path: "^src/", pathNot: `^src/(index\\.ts$|(${Object.keys(layers).join("|")})/)` },
      to: {},
    },
  ],
  allowed: [
    ...allowed,
    { from: { path: "^src/index\\.ts$" }, to: { path: "^src/" } },
    { from: {}, to: { dependencyTypes: ["core", "npm", "npm-dev", "npm-optional", "npm-peer", "type-only"] } },
  ],
  allowedSeverity: "error",
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
    exclude: { path: "^(dist|node_modules)/" },
  },
};
