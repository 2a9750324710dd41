import dgram from 'node:dgram';
import { isH264KeyFrameStart, isRtcp, isVp8KeyFrameStart } from './rtp.js';
import type { SrtpSession } from './SrtpSession.js';

export type StreamCodec = 'VP8' | 'H264' | 'opus';

/** One consumer's stream as it arrives: counts, sequence span, frames, the first whole key frame. */
export class ReceivedStream {
  readonly codec: StreamCodec;
  packets = 0;
  bytes = 0;
  /** Frames completed (packets with the marker bit; Opus counts packets). */
  frames = 0;
  /** RTP timestamp (unwrapped) of the last frame completed: frame rates are counted on the sender's clock. */
  lastFrameTimestamp = 0;
  /** Performance-clock time of the end of the first key frame received whole; undefined until then. */
  firstKeyFrameAt?: number;
  #firstSeq = -1;
  #highestSeq = -1;
  #cycles = 0;
  #roc = 0;
  #lastMarker = true;
  #keyFrameStartSeq = -1;
  #gapInKeyFrame = false;

  constructor(codec: StreamCodec) {
    this.codec = codec;
  }

  /** Packets the sender numbered since the first one received (received + lost). */
  get expected(): number {
    return this.#firstSeq < 0 ? 0 : this.#cycles * 0x10000 + this.#highestSeq - this.#firstSeq + 1;
  }

  add(packet: Buffer, remote: SrtpSession | undefined): void {
    const seq = packet.readUInt16BE(2);
    const marker = (packet[1]! & 0x80) !== 0;
    this.packets++;
    this.bytes += packet.length;
    if (this.#firstSeq < 0) this.#firstSeq = this.#highestSeq = seq;
    else {
      const delta = (seq - this.#highestSeq) & 0xffff;
      if (delta > 0 && delta < 0x8000) {
        if (seq < this.#highestSeq) {
          this.#cycles++;
          this.#roc++;
        }
        if (delta > 1 && this.#keyFrameStartSeq >= 0) this.#gapInKeyFrame = true;
        this.#highestSeq = seq;
      }
    }
    if (this.codec === 'opus') this.frames++;
    else {
      if (marker) {
        this.frames++;
        this.#noteTimestamp(packet.readUInt32BE(4));
      }
      this.#watchForKeyFrame(packet, seq, marker, remote);
    }
    this.#lastMarker = marker;
  }

  #noteTimestamp(timestamp: number): void {
    if (this.lastFrameTimestamp === 0) {
      this.lastFrameTimestamp = timestamp + 0x1_0000_0000;
      return;
    }
    const delta = (timestamp - this.lastFrameTimestamp) % 0x1_0000_0000;
    const forward = delta < 0 ? delta + 0x1_0000_0000 : delta;
    // a step back (reordering) is at most a few frames; otherwise it moved forward across a wrap
    if (forward < 0x8000_0000) this.lastFrameTimestamp += forward;
  }

  /** Until the first key frame is whole: peek (decrypt) at each frame's first packet, then follow it to its marker. */
  #watchForKeyFrame(packet: Buffer, seq: number, marker: boolean, remote: SrtpSession | undefined): void {
    if (this.firstKeyFrameAt !== undefined || !remote) return;
    if (this.#lastMarker) {
      const payload = remote.rtpPayload(packet, this.#roc);
      const start = this.codec === 'VP8' ? isVp8KeyFrameStart(payload) : isH264KeyFrameStart(payload);
      this.#keyFrameStartSeq = start ? seq : -1;
      this.#gapInKeyFrame = false;
    }
    if (marker && this.#keyFrameStartSeq >= 0) {
      if (!this.#gapInKeyFrame) this.firstKeyFrameAt = performance.now();
      this.#keyFrameStartSeq = -1;
    }
  }
}

/** A synthetic viewer's receiving socket: what its PlainTransport sends, by SSRC. */
export class SiteReceiver {
  readonly socket = dgram.createSocket('udp4');
  readonly streams = new Map<number, ReceivedStream>();
  #remote?: SrtpSession;

  constructor() {
    this.socket.on('message', (message) => {
      if (isRtcp(message) || message.length < 12) return;
      // packets of no consumer (mediasoup's bandwidth probation, SSRC 1234) are not counted
      this.streams.get(message.readUInt32BE(8))?.add(message, this.#remote);
    });
  }

  async bind(): Promise<number> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return this.socket.address().port;
  }

  /** The worker's key for this transport: the receiver peeks at payloads to find key frames. */
  setRemote(remote: SrtpSession): void {
    this.#remote = remote;
  }

  expect(ssrc: number, codec: StreamCodec): ReceivedStream {
    let stream = this.streams.get(ssrc);
    if (!stream) {
      stream = new ReceivedStream(codec);
      this.streams.set(ssrc, stream);
    }
    return stream;
  }

  close(): void {
    this.socket.close();
  }
}
