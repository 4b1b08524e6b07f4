export interface ConfigProblem {
  /** Path inside the file, e.g. `models[2].price.input`. */
  path: string;
  message: string;
  /** 1-based line in the file, when known. */
  line?: number;
}

/** A config file that cannot be used: names the file, each path inside it and what is wrong. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(problems.map((p) => `${file}${p.line ? `:${p.line}` : ""}: ${p.path}: ${p.message}`).join("\n"));
    this.name = "ConfigError";
  }
}
