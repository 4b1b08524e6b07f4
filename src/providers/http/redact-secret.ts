/**
 * Removes an upstream API key (and anything that looks like one) from text that may reach a
 * client or a log: upstream error messages sometimes echo the key they were sent.
 */
const KEY_LIKE = /\b(sk|pk|rk)-[A-Za-z0-9_*.-]{6,}/g;

export function redactSecret(text: string, secret: string | undefined): string {
  let out = text;
  if (secret !== undefined && secret.length >= 4 && out.includes(secret)) out = out.split(secret).join("[redacted]");
  return out.replace(KEY_LIKE, "$1-[redacted]");
}
