import { Counter, type Registry } from "prom-client";

interface Pending {
  labels: Record<string, string>;
  value: number;
}

/**
 * A Prometheus counter whose increments are summed in a plain map keyed by the label values and
 * handed to prom-client at each scrape, so a request pays no label hashing. `inc` takes the
 * label values in `labelNames` order.
 */
export class SummedCounter {
  private readonly pending = new Map<string, Pending>();

  constructor(options: { name: string; help: string; labelNames: readonly string[]; registry: Registry }) {
    const { pending } = this;
    new Counter({
      name: options.name,
      help: options.help,
      labelNames: options.labelNames,
      registers: [options.registry],
      collect() {
        for (const entry of pending.values()) this.inc(entry.labels, entry.value);
        pending.clear();
      },
    });
    this.labelNames = options.labelNames;
  }

  private readonly labelNames: readonly string[];

  inc(values: readonly string[], value = 1): void {
    const key = values.length === 1 ? (values[0] as string) : values.join("\u0000");
    const entry = this.pending.get(key);
    if (entry) {
      entry.value += value;
      return;
    }
    const labels: Record<string, string> = {};
    for (let i = 0; i < this.labelNames.length; i++) labels[this.labelNames[i] as string] = values[i] as string;
    this.pending.set(key, { labels, value });
  }
}
