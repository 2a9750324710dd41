import { shedSteps, type ShedStep } from '../shared/protocol.js';
import type { ShedPolicyOptions } from './LoadSheddingTypes.js';

/**
 * When to give something up, and when to take it back: a step more after `enterSamples` readings in a row
 * at or above `highPercent`, a step fewer after `leaveSamples` readings in a row below `lowPercent`. The gap
 * between the two, and the longer wait to undo, keep a step from flapping as its own relief lowers the load.
 */
export class ShedPolicy {
  readonly #options: Required<ShedPolicyOptions>;
  #taken = 0;
  #highInRow = 0;
  #lowInRow = 0;

  constructor(options: ShedPolicyOptions) {
    if (options.lowPercent > options.highPercent) throw new RangeError('the low mark must not be above the high mark');
    this.#options = { enterSamples: 3, leaveSamples: 10, ...options };
  }

  /** The steps taken now, in `shedSteps` order. */
  get steps(): readonly ShedStep[] {
    return shedSteps.slice(0, this.#taken);
  }

  /** Takes one reading (percent of a core); true when the steps changed. */
  observe(percent: number): boolean {
    const { highPercent, lowPercent, enterSamples, leaveSamples } = this.#options;
    if (percent >= highPercent) {
      this.#lowInRow = 0;
      if (++this.#highInRow < enterSamples || this.#taken === shedSteps.length) return false;
      this.#highInRow = 0;
      this.#taken++;
      return true;
    }
    this.#highInRow = 0;
    if (percent >= lowPercent) {
      this.#lowInRow = 0;
      return false;
    }
    if (++this.#lowInRow < leaveSamples || this.#taken === 0) return false;
    this.#lowInRow = 0;
    this.#taken--;
    return true;
  }
}
