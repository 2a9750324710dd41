import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter, once } from 'node:events';
import type { Writable } from 'node:stream';
import { AudioMixer } from './AudioMixer.js';
import { parseRtp } from './rtp.js';
import { RtpReorderBuffer } from './RtpReorderBuffer.js';
import { VideoDecoder } from './VideoDecoder.js';
import { VideoDepacketizer } from './VideoDepacketizer.js';
import { ownedCommand } from '../processes/index.js';
import {
  defaultProgramComposerOptions,
  type ProgramComposerEvents,
  type ProgramComposerOptions,
  type ProgramVideoSource,
} from './ProgramTypes.js';

const tsPacket = 188;
/** Key frames are asked for at most this often while the decoder waits for one. */
const keyFrameRequestEveryMs = 1000;
/** Pictures the encoder may lag behind before the clock skips a beat (audio and video alike, so they stay together). */
const maxEncoderBacklogFrames = 5;

/**
 * Composes a meeting's program once, on the server: the SFU sends the shown source's video and the
 * forwarded microphones to two loopback UDP ports; the video is decoded (`VideoDecoder`) and the voices
 * mixed (`AudioMixer`), and the composer's own clock hands the encoder (ffmpeg: libx264 + AAC in MPEG-TS)
 * a picture and 1/frameRate s of sound per beat. The latest picture is repeated while a source is
 * switched or still, so the program never stops or jumps: outputs and recordings see one unbroken stream.
 */
export class ProgramComposer extends EventEmitter<ProgramComposerEvents> {
  readonly #options: ProgramComposerOptions;
  readonly #videoSocket: Socket;
  readonly #audioSocket: Socket;
  readonly #mixer = new AudioMixer({ onDecodeError: (ssrc, reason) => this.emit('voiceDecodeError', ssrc, reason) });
  readonly #order = new RtpReorderBuffer();
  readonly #encoder: ChildProcess;
  readonly #black: Buffer;
  /** The latest picture, repeated at each beat until the next one. */
  readonly #picture: Buffer;
  /** What each beat hands the encoder: a copy of the latest picture, in a slot no pending write still holds (at most `maxEncoderBacklogFrames` + 1 are). */
  readonly #slots: Buffer[];
  #source: ProgramVideoSource | null = null;
  #depacketizer: VideoDepacketizer | undefined;
  #decoder: VideoDecoder | undefined;
  #waitingForKeyFrame = true;
  #lastKeyFrameRequest = 0;
  #clock: NodeJS.Timeout | undefined;
  #startedAt = 0;
  #beats = 0;
  /** Pictures handed to the encoder: the next one goes in the slot written the longest ago. */
  #written = 0;
  #skippedBeats = 0;
  #pending = Buffer.alloc(0);
  #closed = false;
  #lastError = '';

  private constructor(options: ProgramComposerOptions, videoSocket: Socket, audioSocket: Socket) {
    super();
    this.#options = options;
    this.#videoSocket = videoSocket;
    this.#audioSocket = audioSocket;
    const { width, height } = options.size;
    // black in limited-range YUV: Y 16, U and V 128
    this.#black = Buffer.alloc((width * height * 3) / 2, 128);
    this.#black.fill(16, 0, width * height);
    this.#picture = Buffer.from(this.#black);
    this.#slots = Array.from({ length: maxEncoderBacklogFrames + 3 }, () => Buffer.allocUnsafe(this.#black.length));
    this.#encoder = spawn(...ownedCommand('ffmpeg', encoderArguments(options)), { stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'] });
    this.#encoder.stdout!.on('data', (chunk: Buffer) => this.#output(chunk));
    this.#encoder.stderr!.on('data', (chunk: Buffer) => (this.#lastError = chunk.toString().trim().split('\n').at(-1) ?? ''));
    for (const pipe of [this.#videoIn, this.#audioIn]) pipe.on('error', () => undefined); // the exit says why
    this.#encoder.on('exit', (code, signal) => {
      if (!this.#closed) this.emit('failed', this.#lastError || `the program's encoder exited (${signal ?? code})`);
      this.close();
    });
    videoSocket.on('message', (message) => this.#onVideo(message));
    audioSocket.on('message', (message) => {
      const packet = parseRtp(message);
      if (packet) this.#mixer.push(packet);
    });
  }

  static async start(options: Partial<ProgramComposerOptions> = {}): Promise<ProgramComposer> {
    const bound = async () => {
      const socket = createSocket('udp4');
      socket.bind(0, '127.0.0.1');
      await once(socket, 'listening');
      return socket;
    };
    const composer = new ProgramComposer({ ...defaultProgramComposerOptions, ...options }, await bound(), await bound());
    composer.#startClock();
    return composer;
  }

  /** Where the SFU sends the shown source's video, and the microphones (loopback). */
  get ports(): { video: number; audio: number } {
    return { video: this.#videoSocket.address().port, audio: this.#audioSocket.address().port };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Seconds of program composed since the start: the program's own clock. */
  get composedSeconds(): number {
    return this.#beats / this.#options.frameRate;
  }

  /** Beats skipped because the encoder fell behind (the machine is overloaded). */
  get skippedBeats(): number {
    return this.#skippedBeats;
  }

  /**
   * The program shows another source from its next key frame on (the last picture stays until then);
   * null: black.
   */
  show(source: ProgramVideoSource | null): void {
    this.#source = source;
    this.#order.reset();
    this.#depacketizer = source ? new VideoDepacketizer(source.codec) : undefined;
    this.#waitingForKeyFrame = true;
    this.#lastKeyFrameRequest = 0;
    if (!source) this.#black.copy(this.#picture);
    if (this.#decoder && this.#decoder.codec !== source?.codec) {
      this.#decoder.close();
      this.#decoder = undefined;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#clock);
    this.#decoder?.close();
    this.#mixer.close();
    this.#encoder.kill('SIGKILL');
    this.#videoSocket.close();
    this.#audioSocket.close();
  }

  get #videoIn(): Writable {
    return this.#encoder.stdio[3] as Writable;
  }

  get #audioIn(): Writable {
    return this.#encoder.stdio[4] as Writable;
  }

  #onVideo(message: Buffer): void {
    const packet = parseRtp(message);
    const source = this.#source;
    if (!packet || !source || packet.ssrc !== source.ssrc || !this.#depacketizer) return;
    for (const ordered of this.#order.push(packet)) {
      const frame = this.#depacketizer.push(ordered);
      if (frame === undefined) continue;
      if (frame === 'lost' || (this.#waitingForKeyFrame && !frame.keyFrame)) {
        this.#waitingForKeyFrame = true;
        this.#askKeyFrame();
        continue;
      }
      this.#waitingForKeyFrame = false;
      this.#decoderFor(source).write(frame);
    }
  }

  #decoderFor(source: ProgramVideoSource): VideoDecoder {
    if (!this.#decoder) {
      const decoder = new VideoDecoder(source.codec, this.#options.size);
      decoder.on('frame', (picture) => {
        if (this.#decoder === decoder) picture.copy(this.#picture);
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
    this.emit('keyFrameNeeded');
  }

  #startClock(): void {
    this.#startedAt = performance.now();
    const beatMs = 1000 / this.#options.frameRate;
    const pictureBytes = this.#black.length;
    // beats due since the start, so timer jitter never changes the program's pace
    this.#clock = setInterval(() => {
      // a simulcast consumer forwards nothing before its first key frame, and a browser sends one only when
      // asked (VP8: none of its own for minutes): ask again until it comes, as for a frame lost
      if (this.#source && this.#waitingForKeyFrame) this.#askKeyFrame();
      const due = Math.floor((performance.now() - this.#startedAt) / beatMs);
      for (; this.#beats < due; this.#beats++) {
        if (this.#videoIn.writableLength > maxEncoderBacklogFrames * pictureBytes) {
          this.#skippedBeats++;
          continue;
        }
        // by writes, not beats: after skipped beats a beat's slot may still be queued for the encoder
        const slot = this.#slots[this.#written++ % this.#slots.length]!;
        this.#picture.copy(slot);
        this.#videoIn.write(slot);
        this.#audioIn.write(this.#mixer.take(beatMs));
      }
    }, beatMs / 2);
  }

  /** Passes the encoder's MPEG-TS on in whole packets, so an output may start reading at any chunk. */
  #output(chunk: Buffer): void {
    const data = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    const whole = data.length - (data.length % tsPacket);
    this.#pending = Buffer.from(data.subarray(whole));
    if (whole > 0) this.emit('data', data.subarray(0, whole));
  }
}

function encoderArguments({ size, frameRate, videoBitrateKbps, audioBitrateKbps }: ProgramComposerOptions): string[] {
  const video = `${videoBitrateKbps}k`;
  return [
    ...['-nostdin', '-loglevel', 'error'],
    // raw inputs need no probing; probing would read seconds of sound the clock has not written yet
    ...['-probesize', '32', '-analyzeduration', '0', '-thread_queue_size', '64'],
    ...[
      '-f',
      'rawvideo',
      '-pix_fmt',
      'yuv420p',
      '-video_size',
      `${size.width}x${size.height}`,
      '-framerate',
      String(frameRate),
      '-i',
      'pipe:3',
    ],
    ...['-probesize', '32', '-analyzeduration', '0', '-thread_queue_size', '64'],
    ...['-f', 's16le', '-ar', '48000', '-ac', '2', '-i', 'pipe:4', '-map', '0:v', '-map', '1:a'],
    // no B-frames (zerolatency): what browsers and RTMP servers take as it is; a key frame every 2 s for
    // outputs that (re)connect and for the recording's segments
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'main', '-pix_fmt', 'yuv420p'],
    ...['-g', String(frameRate * 2), '-keyint_min', String(frameRate * 2), '-sc_threshold', '0'],
    ...['-b:v', video, '-maxrate', video, '-bufsize', `${videoBitrateKbps * 2}k`],
    ...['-c:a', 'aac', '-b:a', `${audioBitrateKbps}k`],
    ...['-f', 'mpegts', '-muxdelay', '0', '-flush_packets', '1', 'pipe:1'],
  ];
}
