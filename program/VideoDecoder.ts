import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
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

/** The pictures' socket is read this much at a time, into one buffer for the decoder's whole life. */
const readBufferBytes = 1 << 20;
/** How often the hub tries the decoder's socket until ffmpeg listens on it. */
const connectRetryMs = 20;

/**
 * ffmpeg decoding one source's frames (VP8 in IVF, or H.264 Annex B, on its stdin) to raw pictures of
 * the program's size. One per codec: the program's source changing within a codec goes on in the same
 * decoder from the new source's key frame (a change of size reconfigures its scaler).
 *
 * The pictures (35 MB/s at 720p25) come over a Unix socket ffmpeg listens on, read with net's `onread`
 * into one fixed buffer: on its stdout each 64 KB read was a new buffer, and collecting them took the
 * hub's process a fifth of a core (bench:program's profile).
 */
export class VideoDecoder extends EventEmitter<VideoDecoderEvents> {
  readonly codec: VideoCodec;
  readonly #process: ChildProcessByStdio<Writable, null, Readable>;
  /** A private folder (0700) for the pictures' socket, removed once the hub is connected. */
  readonly #socketDir: string;
  #pictures: net.Socket | undefined;
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
    this.#socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-decoder-'));
    const socketPath = path.join(this.#socketDir, 'pictures.sock');
    this.#process = spawn(
      ...ownedCommand('ffmpeg', [
        // not `-fflags nobuffer`: it drops the packets read while the input is probed, which are the source's key
        // frame; with no other key frame coming (a VP8 camera sends one only when asked), nothing is ever decoded
        ...['-nostdin', '-loglevel', 'error', '-threads', '1', '-flags', 'low_delay'],
        ...['-probesize', '32', '-analyzeduration', '0', '-f', codec === 'vp8' ? 'ivf' : 'h264', '-i', 'pipe:0'],
        '-vf',
        `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,format=yuv420p`,
        ...['-fps_mode', 'passthrough', '-f', 'rawvideo', '-listen', '1', `unix:${socketPath}`],
      ]),
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    this.#process.stderr.on('data', (chunk: Buffer) => (this.#lastError = chunk.toString().trim().split('\n').at(-1) ?? ''));
    // a decoder killed or closed mid-write: its exit says what happened
    this.#process.stdin.on('error', () => undefined);
    this.#process.on('exit', (code, signal) => {
      this.#removeSocketDir();
      if (!this.#closed) this.emit('failed', this.#lastError || `ffmpeg exited (${signal ?? code})`);
    });
    if (codec === 'vp8') this.#process.stdin.write(ivfHeader(width, height));
    this.#connect(socketPath, Buffer.allocUnsafe(readBufferBytes));
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
    this.#pictures?.destroy();
    this.#process.kill('SIGKILL');
    this.#removeSocketDir();
  }

  /** Connects to ffmpeg's socket once it listens (ffmpeg opens its output as it starts, before any frame). */
  #connect(socketPath: string, readBuffer: Buffer): void {
    if (this.#closed || this.#process.exitCode !== null || this.#process.signalCode !== null) return;
    const socket = net.connect({
      path: socketPath,
      onread: {
        buffer: readBuffer,
        callback: (bytes) => {
          this.#read(readBuffer, bytes);
          return true;
        },
      },
    });
    socket.once('connect', () => {
      // connected, the socket needs no name: nothing is left in the temp folder should the hub be killed
      this.#removeSocketDir();
      if (this.#closed) socket.destroy();
      else this.#pictures = socket;
    });
    socket.on('error', () => {
      if (this.#pictures === socket) return; // a socket that was connected ends with ffmpeg: its exit says why
      // not listening yet (no such file, or refused): tried again while ffmpeg lives, which waits for the hub
      setTimeout(() => this.#connect(socketPath, readBuffer), connectRetryMs);
    });
  }

  #removeSocketDir(): void {
    fs.rmSync(this.#socketDir, { recursive: true, force: true });
  }

  /** Cuts the bytes read into pictures: `bytes` of `chunk` are new. */
  #read(chunk: Buffer, bytes: number): void {
    for (let offset = 0; offset < bytes;) {
      const copied = chunk.copy(this.#picture, this.#filled, offset, bytes);
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
