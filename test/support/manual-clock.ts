/** A clock the test moves by hand (for state that takes `now`), starting at a window-aligned instant. */
export class ManualClock {
  constructor(public time = Date.UTC(2027, 0, 15, 10, 0, 0)) {}

  readonly now = (): number => this.time;

  advance(ms: number): void {
    this.time += ms;
  }
}
