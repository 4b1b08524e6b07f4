/** Scores of one arm of a canary (incumbent or candidate): running mean and variance. */
export class CanaryArm {
  #n = 0;
  #mean = 0;
  #m2 = 0;
  served = 0;

  observe(score: number): void {
    this.#n++;
    const delta = score - this.#mean;
    this.#mean += delta / this.#n;
    this.#m2 += delta * (score - this.#mean);
  }

  get samples(): number {
    return this.#n;
  }

  get mean(): number {
    return this.#mean;
  }

  /** Variance of the mean (sample variance / n); 0 below two samples. */
  get varianceOfMean(): number {
    return this.#n > 1 ? this.#m2 / (this.#n - 1) / this.#n : 0;
  }
}
