export type ShadowDirection = "down" | "up";

export interface ShadowTarget {
  model: string;
  direction: ShadowDirection;
}

/**
 * Which models answer a served request in the shadow, only ever among the models the router
 * could have chosen for it (`choosable`): `down`, the cheapest model cheaper than the served
 * one (would the small model have been enough?); `up`, the dearest model dearer than it
 * (would the large model have done better?). Cost order is the list price (input + output per
 * 1M tokens); a model priced like the served one is neither up nor down.
 */
export function pickShadowTargets(input: {
  servedModel: string;
  choosable: readonly string[];
  price: (modelId: string) => number | undefined;
  directions: readonly ShadowDirection[];
}): ShadowTarget[] {
  const served = input.price(input.servedModel);
  if (served === undefined) return [];
  let cheapest: { id: string; price: number } | undefined;
  let dearest: { id: string; price: number } | undefined;
  for (const id of input.choosable) {
    if (id === input.servedModel) continue;
    const price = input.price(id);
    if (price === undefined) continue;
    if (price < served && (!cheapest || price < cheapest.price)) cheapest = { id, price };
    if (price > served && (!dearest || price > dearest.price)) dearest = { id, price };
  }
  const targets: ShadowTarget[] = [];
  if (cheapest && input.directions.includes("down")) targets.push({ model: cheapest.id, direction: "down" });
  if (dearest && input.directions.includes("up")) targets.push({ model: dearest.id, direction: "up" });
  return targets;
}
