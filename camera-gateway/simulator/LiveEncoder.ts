import { EventEmitter } from 'node:events';
import type { AccessUnit, ElementaryStream } from './ElementaryStream.js';

export const frameRate = 25;
const ticksPerFrame = 90_000 / frameRate;

export type LiveEncoderEvents = {
  /** One picture, stamped on the 90 kHz clock of the encoder (shared by every session). */
  frame: [frame: AccessUnit, rtpTimestamp: number];
};

/**
 * A camera's encoder for one stream: emits the clip's pictures at the frame rate, looping without
 * end, while anyone listens. Its timestamps rise by one frame per picture for as long as it runs,
 * across the loop; while frozen (a firmware fault) every picture carries the last timestamp.
 */
export class LiveEncoder extends EventEmitter<LiveEncoderEvents> {
  #stream: ElementaryStream;
  /** The scene to change to at its next key frame. */
  #next?: ElementaryStream;
  readonly #isFrozen: () => boolean;
  #timer?: NodeJS.Timeout;
  #startedAt = 0;
  #index = 0;
  #timestamp = 0;

  constructor(stream: ElementaryStream, isFrozen: () => boolean) {
    super();
    this.#stream = stream;
    this.#isFrozen = isFrozen;
  }

  get stream(): ElementaryStream {
    return this.#stream;
  }

  /** The camera shows another scene from its next key frame on (same encoder settings: clients see no change of stream). */
  show(stream: ElementaryStream): void {
    this.#next = stream;
  }

  subscribe(listener: (frame: AccessUnit, rtpTimestamp: number) => void): () => void {
    this.on('frame', listener);
    if (!this.#timer) {
      this.#startedAt = Date.now();
      this.#index = 0;
      this.#tick();
    }
    return () => {
      this.off('frame', listener);
      if (this.listenerCount('frame') === 0) this.stop();
    };
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.removeAllListeners('frame');
  }

  /** Paced from the start time, so timer lateness never accumulates into drift. */
  #tick(): void {
    if (this.#next?.frames[this.#index % this.#next.frames.length]!.keyFrame) {
      this.#stream = this.#next;
      this.#next = undefined;
    }
    const frames = this.#stream.frames;
    if (!this.#isFrozen()) this.#timestamp = (this.#index * ticksPerFrame) >>> 0;
    this.emit('frame', frames[this.#index % frames.length]!, this.#timestamp);
    this.#index++;
    const due = this.#startedAt + (this.#index * 1000) / frameRate;
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, due - Date.now()));
  }
}
