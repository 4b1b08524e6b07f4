/**
 * Holds back generated text that might be the start of a stop sequence, so a stop sequence
 * split across tokens is never streamed out. `push` returns the text safe to emit now and
 * whether a stop sequence was reached (the stop sequence itself is never emitted).
 */
export class StopSequenceBuffer {
  private pending = "";

  constructor(private readonly stops: readonly string[]) {}

  push(text: string): { emit: string; stopped: boolean } {
    this.pending += text;
    let stopAt = -1;
    for (const stop of this.stops) {
      const index = this.pending.indexOf(stop);
      if (index >= 0 && (stopAt < 0 || index < stopAt)) stopAt = index;
    }
    if (stopAt >= 0) {
      const emit = this.pending.slice(0, stopAt);
      this.pending = "";
      return { emit, stopped: true };
    }
    const hold = this.heldBackLength();
    const emit = this.pending.slice(0, this.pending.length - hold);
    this.pending = this.pending.slice(this.pending.length - hold);
    return { emit, stopped: false };
  }

  /** The text still held back (emitted when generation ends for another reason). */
  flush(): string {
    const rest = this.pending;
    this.pending = "";
    return rest;
  }

  /** Length of the longest suffix of the pending text that is a proper prefix of a stop sequence. */
  private heldBackLength(): number {
    let longest = 0;
    for (const stop of this.stops) {
      const max = Math.min(stop.length - 1, this.pending.length);
      for (let length = max; length > longest; length -= 1) {
        if (this.pending.endsWith(stop.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
