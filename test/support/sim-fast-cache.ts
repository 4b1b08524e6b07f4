import type { SimScenario } from "./sim-scenario.js";

/**
 * Rendered answers for the hot path: a plain success for the same scenario and request
 * shape is serialized once; only the prompt-token figures (which vary per request) are
 * filled in. This keeps the simulator far faster than anything it is the upstream of.
 */
const MARK = 987_654_321;

export class Template {
  private readonly parts: string[] = [];
  private readonly totals: boolean[] = [];
  private readonly completionTokens: number;

  constructor(text: string, completionTokens: number) {
    const total = String(MARK + completionTokens);
    const pattern = new RegExp(`${MARK}|${total}`, "g");
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      this.parts.push(text.slice(last, match.index));
      this.totals.push(match[0] === total);
      last = match.index + match[0].length;
    }
    this.parts.push(text.slice(last));
    this.completionTokens = completionTokens;
  }

  render(promptTokens: number): string {
    if (this.totals.length === 0) return this.parts[0] as string;
    let out = this.parts[0] as string;
    for (let i = 0; i < this.totals.length; i++) {
      out += String(this.totals[i] ? promptTokens + this.completionTokens : promptTokens) + (this.parts[i + 1] as string);
    }
    return out;
  }
}

export class FastCache {
  static readonly promptMark = MARK;
  private readonly byScenario = new WeakMap<SimScenario, Map<string, Template>>();

  /** Whether answers for this scenario are instant and plain (no delay, fault or error). */
  static eligible(scenario: SimScenario): boolean {
    return (
      !scenario.latencyMs &&
      !scenario.firstTokenDelayMs &&
      !scenario.chunkDelayMs &&
      scenario.status === undefined &&
      scenario.fault === undefined &&
      !scenario.omitDone
    );
  }

  get(scenario: SimScenario, key: string): Template | undefined {
    return this.byScenario.get(scenario)?.get(key);
  }

  set(scenario: SimScenario, key: string, template: Template): void {
    let map = this.byScenario.get(scenario);
    if (!map) {
      map = new Map();
      this.byScenario.set(scenario, map);
    }
    map.set(key, template);
  }
}
