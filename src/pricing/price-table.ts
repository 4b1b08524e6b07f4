import type { Usage } from "../core/usage.js";
import { tokensOfChars } from "./estimate-tokens.js";

/** USD per 1M tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

export interface PricedModel {
  id: string;
  price: ModelPrice;
}

/** Token counts in either the wire shape (`Usage`) or the log's camelCase shape. */
export type TokenCounts = Usage | Pick<Usage, "prompt_tokens" | "completion_tokens"> | { promptTokens: number; completionTokens: number };

/**
 * Prices of the configured models. Costs are list prices: (prompt × input + completion ×
 * output) / 1M. A model the table does not know costs 0 (`has` tells the two apart).
 */
export class PriceTable {
  private readonly prices = new Map<string, ModelPrice>();
  private readonly order: string[] = [];

  constructor(models: Iterable<PricedModel>) {
    for (const model of models) {
      if (!this.prices.has(model.id)) this.order.push(model.id);
      this.prices.set(model.id, { input: model.price.input, output: model.price.output });
    }
  }

  /** Builds a table from `{ "model-id": { input, output } }`. */
  static fromRecord(prices: Record<string, ModelPrice>): PriceTable {
    return new PriceTable(Object.entries(prices).map(([id, price]) => ({ id, price })));
  }

  has(modelId: string): boolean {
    return this.prices.has(modelId);
  }

  priceOf(modelId: string): ModelPrice | undefined {
    return this.prices.get(modelId);
  }

  get models(): PricedModel[] {
    return this.order.map((id) => ({ id, price: this.prices.get(id) as ModelPrice }));
  }

  /** `{ "model-id": { input, output } }`, as stored in price files and router artifacts. */
  toRecord(): Record<string, ModelPrice> {
    return Object.fromEntries(this.models.map((model) => [model.id, { ...model.price }]));
  }

  /** The models of `ids` the table has no price for. */
  missing(ids: readonly string[]): string[] {
    return ids.filter((id) => !this.prices.has(id));
  }

  /**
   * USD of one request on `modelId` when only characters are known: prompt and answer tokens
   * estimated by `tokensOfChars` (unrounded), 0 for a model the table does not know.
   */
  costOfChars(modelId: string, promptChars: number, outputChars: number): number {
    return this.costOf(modelId, { promptTokens: tokensOfChars(promptChars), completionTokens: tokensOfChars(outputChars) });
  }

  /** USD for the given token counts on `modelId` (0 for a model the table does not know). */
  costOf(modelId: string, usage: TokenCounts): number {
    const price = this.prices.get(modelId);
    if (!price) return 0;
    return tokenCost(price, usage);
  }

  /**
   * The most expensive configured model: highest output price, then highest input price;
   * the first configured wins a tie. Undefined for an empty table.
   */
  mostExpensive(): PricedModel | undefined {
    let best: PricedModel | undefined;
    for (const model of this.models) {
      if (
        !best ||
        model.price.output > best.price.output ||
        (model.price.output === best.price.output && model.price.input > best.price.input)
      ) {
        best = model;
      }
    }
    return best;
  }
}

/** USD for token counts at a price. */
export function tokenCost(price: ModelPrice, usage: TokenCounts): number {
  const [prompt, completion] =
    "promptTokens" in usage ? [usage.promptTokens, usage.completionTokens] : [usage.prompt_tokens, usage.completion_tokens];
  return (prompt * price.input + completion * price.output) / 1_000_000;
}
