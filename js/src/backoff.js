// Exponential backoff with jitter for failed syncs: after the n-th failure in a row the next
// scheduled attempt waits about initialDelayMs * 2^(n-1), capped at maxDelayMs, scaled by a
// random factor in [0.5, 1] so that many devices failing together do not retry in lock-step.
export class Backoff {
  #initialDelayMs;
  #maxDelayMs;
  #random;
  #failures = 0;

  constructor({ initialDelayMs = 1000, maxDelayMs = 5 * 60 * 1000, random = Math.random } = {}) {
    this.#initialDelayMs = initialDelayMs;
    this.#maxDelayMs = Math.max(maxDelayMs, initialDelayMs);
    this.#random = random;
  }

  get failures() {
    return this.#failures;
  }

  /** Records a failure; returns the delay before the next attempt. */
  failure() {
    this.#failures += 1;
    const ceiling = Math.min(this.#maxDelayMs, this.#initialDelayMs * 2 ** Math.min(this.#failures - 1, 30));
    return Math.round(ceiling * (0.5 + 0.5 * this.#random()));
  }

  success() {
    this.#failures = 0;
  }
}
