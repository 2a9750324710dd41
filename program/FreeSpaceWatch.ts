import { EventEmitter } from 'node:events';
import fs from 'node:fs';

export type FreeSpaceWatchEvents = {
  /** The disk went below `minFreeBytes` free (`full`), or has room again. */
  changed: [full: boolean, freeBytes: number];
};

/**
 * The free space of the disk under `directory`, read every `checkEveryMs` (statfs: no I/O on the disk
 * itself). Recording stops writing before the disk is full, when other things on it (the database, the
 * cameras' recordings) still need room, and starts again by itself once an operator made some.
 */
export class FreeSpaceWatch extends EventEmitter<FreeSpaceWatchEvents> {
  readonly #directory: string;
  readonly #minFreeBytes: number;
  readonly #timer: NodeJS.Timeout;
  #full = false;

  constructor(directory: string, options: { minFreeBytes: number; checkEveryMs: number }) {
    super();
    this.#directory = directory;
    this.#minFreeBytes = options.minFreeBytes;
    this.#full = freeBytes(directory) < this.#minFreeBytes;
    this.#timer = setInterval(() => this.check(), options.checkEveryMs);
  }

  get full(): boolean {
    return this.#full;
  }

  /** Reads the free space now (also between the regular reads: a recording about to start). */
  check(): boolean {
    const free = freeBytes(this.#directory);
    const full = free < this.#minFreeBytes;
    if (full !== this.#full) {
      this.#full = full;
      this.emit('changed', full, free);
    }
    return full;
  }

  close(): void {
    clearInterval(this.#timer);
  }
}

function freeBytes(directory: string): number {
  // made again if an operator removed it: a timer that throws would take the hub down
  fs.mkdirSync(directory, { recursive: true });
  const stats = fs.statfsSync(directory);
  return stats.bavail * stats.bsize;
}
