import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type { EncodedFrame } from './VideoDepacketizer.js';
import type { FrameSize, VideoCodec } from './ProgramTypes.js';
import { ownedCommand } from '../processes/index.js';

export type VideoDecoderEvents = {
  /** A decoded picture, scaled (letter- or pillar-boxed) to the program's size: planar YUV 4:2:0. Copy it: its buffer is the next picture's. */
  frame: [picture: Buffer];
  /** ffmpeg ended without being closed: what it last said. */
  failed: [reason: string];
};

/**
 * ffmpeg decoding one source's frames (VP8 in IVF, or H.264 Annex B, on its stdin) to raw pictures of
 * the program's size on its stdout. One per codec: the program's source changing within a codec goes on
 * in the same decoder from the new source's key frame (a change of size reconfigures its scaler).
 */
export class VideoDecoder extends EventEmitter<VideoDecoderEvents> {
  readonly codec: VideoCodec;
  readonly #process: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly #pictureBytes: number;
  /** One buffer for every picture: a new one per picture (35 MB/s at 720p25) kept the garbage collector at 14% of the hub's time. */
  readonly #picture: Buffer;
  #filled = 0;
  #frames = 0;
  #closed = false;
  #lastError = '';

  constructor(codec: VideoCodec, size: FrameSize) {
    super();
    this.codec = codec;
    this.#pictureBytes = (size.width * size.height * 3) / 2;
    this.#picture = Buffer.allocUnsafe(this.#pictureBytes);
    const { width, height } = size;
    this.#process = spawn(
      ...ownedCommand('ffmpeg', [
        ...['-nostdin', '-loglevel', 'error', '-threads', '1', '-fflags', 'nobuffer', '-flags', 'low_delay'],
        ...['-probesize', '32', '-analyzeduration', '0', '-f', codec === 'vp8' ? 'ivf' : 'h264', '-i', 'pipe:0'],
        '-vf',
        `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,format=yuv420p`,
        ...['-fps_mode', 'passthrough', '-f', 'rawvideo', 'pipe:1'],
      ]),
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.#process.stdout.on('data', (chunk: Buffer) => this.#read(chunk));
    this.#process.stderr.on('data', (chunk: Buffer) => (this.#lastError = chunk.toString().trim().split('\n').at(-1) ?? ''));
    // a decoder killed or closed mid-write: its exit says what happened
    this.#process.stdin.on('error', () => undefined);
    this.#process.on('exit', (code, signal) => {
      if (!this.#closed) this.emit('failed', this.#lastError || `ffmpeg exited (${signal ?? code})`);
    });
    if (codec === 'vp8') this.#process.stdin.write(ivfHeader(width, height));
  }

  write(frame: EncodedFrame): void {
    if (this.#closed) return;
    if (this.codec === 'vp8') {
      const header = Buffer.alloc(12);
      header.writeUInt32LE(frame.data.length, 0);
      header.writeBigUInt64LE(BigInt(this.#frames), 4);
      this.#process.stdin.write(header);
    }
    this.#frames++;
    this.#process.stdin.write(frame.data);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#process.kill('SIGKILL');
  }

  #read(chunk: Buffer): void {
    for (let offset = 0; offset < chunk.length;) {
      const copied = chunk.copy(this.#picture, this.#filled, offset);
      offset += copied;
      this.#filled += copied;
      if (this.#filled === this.#pictureBytes) {
        this.emit('frame', this.#picture);
        this.#filled = 0;
      }
    }
  }
}

/** IVF's file header (what libvpx's tools write): the decoder reads the real size from the frames. */
function ivfHeader(width: number, height: number): Buffer {
  const header = Buffer.alloc(32);
  header.write('DKIF', 0, 'ascii');
  header.writeUInt16LE(0, 4);
  header.writeUInt16LE(32, 6);
  header.write('VP80', 8, 'ascii');
  header.writeUInt16LE(width, 12);
  header.writeUInt16LE(height, 14);
  header.writeUInt32LE(25, 16);
  header.writeUInt32LE(1, 20);
  return header;
}
