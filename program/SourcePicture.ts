import { EventEmitter } from 'node:events';
import type { RtpPacket } from './rtp.js';
import { RtpReorderBuffer } from './RtpReorderBuffer.js';
import { VideoDecoder } from './VideoDecoder.js';
import { VideoDepacketizer } from './VideoDepacketizer.js';
import type { FrameSize, ProgramVideoSource, ShownVideoStats, SourcePictureEvents } from './ProgramTypes.js';

/** Key frames are asked for at most this often while the decoder waits for one. */
const keyFrameRequestEveryMs = 1000;

/**
 * One source's video as the composer shows it: its RTP put back in order and together into frames, decoded
 * from a key frame on (asked for until it comes, and again after a frame lost), and its latest picture kept
 * at the program's size. Showing another source keeps the last picture until the new one's first.
 */
export class SourcePicture extends EventEmitter<SourcePictureEvents> {
  /** The latest picture (planar YUV 4:2:0 at the program's size), black before any. */
  readonly picture: Buffer;
  readonly #size: FrameSize;
  readonly #black: Buffer;
  readonly #order = new RtpReorderBuffer();
  #source: ProgramVideoSource | null = null;
  #stats = noVideoYet();
  #depacketizer: VideoDepacketizer | undefined;
  #decoder: VideoDecoder | undefined;
  #waitingForKeyFrame = true;
  #lastKeyFrameRequest = 0;

  constructor(size: FrameSize) {
    super();
    this.#size = size;
    // black in limited-range YUV: Y 16, U and V 128
    this.#black = Buffer.alloc((size.width * size.height * 3) / 2, 128);
    this.#black.fill(16, 0, size.width * size.height);
    this.picture = Buffer.from(this.#black);
  }

  get source(): ProgramVideoSource | null {
    return this.#source;
  }

  /** What the shown source's video has given since it was shown. */
  get stats(): ShownVideoStats {
    return { ...this.#stats };
  }

  /** Another source from its next key frame on (the last picture stays until then); null: black. */
  show(source: ProgramVideoSource | null): void {
    this.#source = source;
    this.#stats = noVideoYet();
    this.#order.reset();
    this.#depacketizer = source ? new VideoDepacketizer(source.codec) : undefined;
    this.#waitingForKeyFrame = true;
    this.#lastKeyFrameRequest = 0;
    if (!source) this.#black.copy(this.picture);
    if (this.#decoder && this.#decoder.codec !== source?.codec) {
      this.#decoder.close();
      this.#decoder = undefined;
    }
  }

  /** A packet of the shown source (the caller routes by SSRC). */
  push(packet: RtpPacket): void {
    const source = this.#source;
    if (!source || packet.ssrc !== source.ssrc || !this.#depacketizer) return;
    const stats = this.#stats;
    stats.packets++;
    for (const ordered of this.#order.push(packet)) {
      const frame = this.#depacketizer.push(ordered);
      if (frame === undefined) continue;
      stats.frames++;
      if (frame === 'lost') stats.lostFrames++;
      else if (frame.keyFrame) stats.keyFrames++;
      if (frame === 'lost' || (this.#waitingForKeyFrame && !frame.keyFrame)) {
        this.#waitingForKeyFrame = true;
        this.#askKeyFrame();
        continue;
      }
      this.#waitingForKeyFrame = false;
      this.#decoderFor(source).write(frame);
    }
  }

  /**
   * At each beat: a simulcast consumer forwards nothing before its first key frame, and a browser sends one only
   * when asked (VP8: none of its own for minutes): asked again until it comes, as for a frame lost.
   */
  beat(): void {
    if (this.#source && this.#waitingForKeyFrame) this.#askKeyFrame();
  }

  close(): void {
    this.#decoder?.close();
    this.#decoder = undefined;
  }

  #decoderFor(source: ProgramVideoSource): VideoDecoder {
    if (!this.#decoder) {
      const decoder = new VideoDecoder(source.codec, this.#size);
      decoder.on('frame', (picture) => {
        if (this.#decoder !== decoder) return;
        picture.copy(this.picture);
        this.#stats.pictures++;
      });
      decoder.on('failed', () => {
        // a new decoder starts at the next key frame
        if (this.#decoder !== decoder) return;
        this.#decoder = undefined;
        this.#waitingForKeyFrame = true;
        this.#askKeyFrame();
      });
      this.#decoder = decoder;
    }
    return this.#decoder;
  }

  #askKeyFrame(): void {
    const now = Date.now();
    if (now - this.#lastKeyFrameRequest < keyFrameRequestEveryMs) return;
    this.#lastKeyFrameRequest = now;
    this.#stats.keyFrameRequests++;
    this.emit('keyFrameNeeded');
  }
}

function noVideoYet(): ShownVideoStats {
  return { packets: 0, frames: 0, keyFrames: 0, lostFrames: 0, keyFrameRequests: 0, pictures: 0 };
}
