import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { freeBytes } from './freeBytes.js';

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
    this.#full = this.#freeBytes() < this.#minFreeBytes;
    this.#timer = setInterval(() => this.check(), options.checkEveryMs);
  }

  get full(): boolean {
    return this.#full;
  }

  /** Reads the free space now (also between the regular reads: a recording about to start). */
  check(): boolean {
    const free = this.#freeBytes();
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

  #freeBytes(): number {
    // made again if an operator removed it: a timer that throws would take the hub down
    fs.mkdirSync(this.#directory, { recursive: true });
    return freeBytes(this.#directory);
  }
}
