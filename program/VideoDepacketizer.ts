import type { OrderedPacket } from './RtpReorderBuffer.js';
import type { VideoCodec } from './ProgramTypes.js';

/** One whole frame of the source's video: VP8 as it is, H.264 as Annex B (start codes before each NAL unit). */
export interface EncodedFrame {
  data: Buffer;
  keyFrame: boolean;
}

const startCode = Buffer.from([0, 0, 0, 1]);

/**
 * Puts a VP8 (RFC 7741) or H.264 (RFC 6184: single NAL units, STAP-A, FU-A) stream's packets together into
 * frames. A frame is whole at the packet with the marker bit; one with a packet missing is reported
 * `'lost'`, so the decoder can wait for the next key frame rather than show a smeared picture.
 */
export class VideoDepacketizer {
  readonly codec: VideoCodec;
  #parts: Buffer[] = [];
  #timestamp: number | undefined;
  #broken = false;
  #keyFrame = false;
  #inFragment = false;

  constructor(codec: VideoCodec) {
    this.codec = codec;
  }

  push({ packet, afterGap }: OrderedPacket): EncodedFrame | 'lost' | undefined {
    if (packet.timestamp !== this.#timestamp) {
      this.#start(packet.timestamp);
      // what is missing may have been this frame's start as well as the last one's end
    }
    if (afterGap) this.#broken = true;
    if (packet.payload.length === 0) this.#broken = true;
    else if (this.codec === 'vp8') this.#vp8(packet.payload);
    else this.#h264(packet.payload);
    if (!packet.marker) return undefined;
    const frame = this.#broken || this.#parts.length === 0 ? 'lost' : { data: Buffer.concat(this.#parts), keyFrame: this.#keyFrame };
    this.#start(undefined);
    return frame;
  }

  #start(timestamp: number | undefined): void {
    this.#parts = [];
    this.#timestamp = timestamp;
    this.#broken = false;
    this.#keyFrame = false;
    this.#inFragment = false;
  }

  #vp8(payload: Buffer): void {
    const first = payload[0]!;
    let offset = 1;
    if (first & 0x80) {
      const extension = payload[1] ?? 0;
      offset = 2;
      if (extension & 0x80) offset += (payload[offset]! & 0x80) !== 0 ? 2 : 1; // picture id, 7 or 15 bits
      if (extension & 0x40) offset++; // TL0PICIDX
      if (extension & 0x30) offset++; // TID / KEYIDX
    }
    const partitionStart = (first & 0x10) !== 0 && (first & 0x07) === 0;
    if (this.#parts.length === 0 && !partitionStart) this.#broken = true;
    const data = payload.subarray(offset);
    if (partitionStart && data.length > 0) this.#keyFrame = (data[0]! & 0x01) === 0;
    this.#parts.push(data);
  }

  #h264(payload: Buffer): void {
    const type = payload[0]! & 0x1f;
    if (type >= 1 && type <= 23) {
      this.#nal(payload);
    } else if (type === 24) {
      for (let offset = 1; offset + 2 <= payload.length;) {
        const size = payload.readUInt16BE(offset);
        offset += 2;
        if (size === 0 || offset + size > payload.length) {
          this.#broken = true;
          return;
        }
        this.#nal(payload.subarray(offset, offset + size));
        offset += size;
      }
    } else if (type === 28 && payload.length > 2) {
      const header = payload[1]!;
      const nalType = header & 0x1f;
      if (header & 0x80) {
        this.#nal(Buffer.from([(payload[0]! & 0xe0) | nalType]));
        this.#inFragment = true;
      } else if (!this.#inFragment) {
        this.#broken = true;
        return;
      }
      this.#parts.push(payload.subarray(2));
      if (header & 0x40) this.#inFragment = false;
    } else {
      this.#broken = true;
    }
  }

  #nal(nal: Buffer): void {
    if ((nal[0]! & 0x1f) === 5) this.#keyFrame = true;
    this.#parts.push(startCode, nal);
  }
}
