/**
 * A reusable open-addressing map from feature index to count (no allocation per request once
 * warm): the hot path of feature extraction.
 */
export class HashCounter {
  private keys: Int32Array;
  private values: Float64Array;
  private slots: Int32Array;
  private used = 0;

  constructor(capacity = 1 << 13) {
    this.keys = new Int32Array(capacity).fill(-1);
    this.values = new Float64Array(capacity);
    this.slots = new Int32Array(capacity);
  }

  get size(): number {
    return this.used;
  }

  add(key: number, amount = 1): void {
    if (this.used * 2 >= this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let slot = (Math.imul(key, 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const current = this.keys[slot] ?? -1;
      if (current === key) {
        this.values[slot] = (this.values[slot] ?? 0) + amount;
        return;
      }
      if (current === -1) {
        this.keys[slot] = key;
        this.values[slot] = amount;
        this.slots[this.used++] = slot;
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Calls `visit` for every (key, value) in insertion order. */
  forEach(visit: (key: number, value: number) => void): void {
    for (let i = 0; i < this.used; i++) {
      const slot = this.slots[i] ?? 0;
      visit(this.keys[slot] ?? 0, this.values[slot] ?? 0);
    }
  }

  clear(): void {
    for (let i = 0; i < this.used; i++) this.keys[this.slots[i] ?? 0] = -1;
    this.used = 0;
  }

  private grow(): void {
    const entries: Array<[number, number]> = [];
    this.forEach((key, value) => {
      entries.push([key, value]);
    });
    const capacity = this.keys.length * 2;
    this.keys = new Int32Array(capacity).fill(-1);
    this.values = new Float64Array(capacity);
    this.slots = new Int32Array(capacity);
    this.used = 0;
    for (const [key, value] of entries) this.add(key, value);
  }
}
