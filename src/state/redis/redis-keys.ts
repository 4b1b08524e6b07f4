/**
 * Every key and channel of the Redis state, under one prefix. A subject's rate-limit and budget
 * counters share a hash tag (`{subject}`), so one script can touch them all on Redis Cluster too.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  breaker(model: string): string {
    return `${this.prefix}breaker:${enc(model)}`;
  }

  rateWindow(subject: string, name: string, windowMs: number, window: number): string {
    return `${this.prefix}quota:{${enc(subject)}}:rate:${enc(name)}:${windowMs}:${window}`;
  }

  budget(subject: string, name: string, periodKey: string): string {
    return `${this.prefix}quota:{${enc(subject)}}:budget:${enc(name)}:${periodKey}`;
  }

  artifact(name: string): string {
    return `${this.prefix}artifact:${enc(name)}`;
  }

  get breakerChannel(): string {
    return `${this.prefix}events:breakers`;
  }

  get artifactChannel(): string {
    return `${this.prefix}events:artifacts`;
  }
}

/** Braces would split a hash tag and colons would blur the key's fields: percent-encode names. */
const enc = (value: string) => encodeURIComponent(value);
