import type { ShedStep } from '../shared/protocol.js';

export interface ShedPolicyOptions {
  /** A worker's CPU demand (its time running and waiting to run, percent of a core) at which the hub is short. */
  highPercent: number;
  /** Below this the hub has room again: the last step is undone after `leaveSamples` such readings. */
  lowPercent: number;
  /** Readings at or above `highPercent` in a row before the next step is taken (default 3: about 3 s). */
  enterSamples?: number;
  /** Readings below `lowPercent` in a row before the last step is undone (default 10: about 10 s). */
  leaveSamples?: number;
}

export interface LoadSheddingOptions extends ShedPolicyOptions {
  /** How often the workers are read (default 1000 ms). */
  intervalMs?: number;
}

export type LoadSheddingEvents = {
  /** The steps taken changed (one more, or one fewer). */
  changed: [steps: readonly ShedStep[]];
  /** Reading a worker failed (it was just replaced, say); the reading is skipped. */
  readFailed: [error: Error];
};
