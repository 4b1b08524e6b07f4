/** A regular expression written in a config file: a leading `(?i)` makes it case-insensitive. Throws a SyntaxError when invalid. */
export function compileUserRegex(source: string, flags = ""): RegExp {
  const insensitive = source.startsWith("(?i)");
  const body = insensitive ? source.slice(4) : source;
  return new RegExp(body, insensitive && !flags.includes("i") ? `${flags}i` : flags);
}
