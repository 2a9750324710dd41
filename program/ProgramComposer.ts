import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter, once } from 'node:events';
import type { Writable } from 'node:stream';
import { AudioMixer } from './AudioMixer.js';
import { parseRtp } from './rtp.js';
import { RtpEncoder } from './RtpEncoder.js';
import { SourcePicture } from './SourcePicture.js';
import { ownedCommand } from '../processes/index.js';
import {
  defaultProgramComposerOptions,
  type ProgramComposerEvents,
  type ProgramComposerOptions,
  programViews,
  type MixCodec,
  type ProgramVideoSource,
  type ProgramView,
  type RtpTarget,
  type ShownVideoStats,
} from './ProgramTypes.js';

const tsPacket = 188;
/** Pictures the encoder may lag behind before the clock skips a beat (audio and video alike, so they stay together). */
const maxEncoderBacklogFrames = 5;
/** An RTP encoder that ended is started again after this long (GStreamer missing or failing must not spin). */
const rtpRestartMs = 1000;

interface RtpOut {
  encoder: RtpEncoder | undefined;
  restart?: NodeJS.Timeout;
}

interface MixMinusOut extends RtpOut {
  /** The SSRC of the listener's own voice among the program's microphones, when it has one. */
  ownVoice: () => number | undefined;
}

/** The ring of buffers a picture's beats are written from (none still held by a pending write). */
interface SlotRing {
  slots: Buffer[];
  written: number;
}

/**
 * Composes a meeting's program once, on the server: the SFU sends the shown source's video and the
 * forwarded microphones to two loopback UDP ports; the video is decoded (`SourcePicture`) and the voices
 * mixed (`AudioMixer`), and the composer's own clock hands the encoder (ffmpeg: libx264 + AAC in MPEG-TS,
 * while an output or the recording wants it) a picture and 1/frameRate s of sound per beat. The latest picture is repeated while a source is
 * switched or still, so the program never stops or jumps: outputs and recordings see one unbroken stream.
 *
 * For SIP calls it also sends, as RTP, the program's picture (one H.264 encode for every call), each call's
 * mix without its own voice, and while a call is the one shown, a second picture for that call alone: the
 * speaker view (the previous speaker, as an MCU shows the current one), decoded from a second source the SFU
 * sends to the same video port.
 */
export class ProgramComposer extends EventEmitter<ProgramComposerEvents> {
  readonly #options: ProgramComposerOptions;
  readonly #videoSocket: Socket;
  readonly #audioSocket: Socket;
  readonly #mixer = new AudioMixer({ onDecodeError: (ssrc, reason) => this.emit('voiceDecodeError', ssrc, reason) });
  /** ffmpeg encoding the MPEG-TS while an output or the recording wants it. */
  #encoder: ChildProcess | undefined;
  readonly #pictureBytes: number;
  readonly #views: Record<ProgramView, SourcePicture>;
  /** What each beat hands the encoder: a copy of the latest picture, in a slot no pending write still holds (at most `maxEncoderBacklogFrames` + 1 are). */
  readonly #slots: Buffer[];
  #clock: NodeJS.Timeout | undefined;
  #startedAt = 0;
  #beats = 0;
  /** Pictures handed to the encoder: the next one goes in the slot written the longest ago. */
  #written = 0;
  #skippedBeats = 0;
  #pending = Buffer.alloc(0);
  /** The program's picture as H.264 RTP for SIP calls (one encode for all), and the speaker view's. */
  readonly #videoOut: Record<ProgramView, RtpOut | undefined> = { program: undefined, speakerView: undefined };
  /** Each call's mix-minus as Opus RTP. */
  readonly #mixMinus = new Map<string, MixMinusOut>();
  #speakerViewSlots: SlotRing | undefined;
  #closed = false;
  #lastError = '';

  private constructor(options: ProgramComposerOptions, videoSocket: Socket, audioSocket: Socket) {
    super();
    this.#options = options;
    this.#videoSocket = videoSocket;
    this.#audioSocket = audioSocket;
    const { width, height } = options.size;
    this.#pictureBytes = (width * height * 3) / 2;
    this.#views = { program: new SourcePicture(options.size), speakerView: new SourcePicture(options.size) };
    for (const view of programViews) this.#views[view].on('keyFrameNeeded', () => this.emit('keyFrameNeeded', view));
    this.#slots = Array.from({ length: maxEncoderBacklogFrames + 3 }, () => Buffer.allocUnsafe(this.#pictureBytes));
    if (options.transportStream) this.#startEncoder();
    videoSocket.on('message', (message) => {
      const packet = parseRtp(message);
      if (!packet) return;
      // the SFU sends both views' sources to this port: each takes its own SSRC
      for (const view of programViews) if (this.#views[view].source?.ssrc === packet.ssrc) this.#views[view].push(packet);
    });
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

  /** Where the SFU sends the shown sources' video, and the microphones (loopback). */
  get ports(): { video: number; audio: number } {
    return { video: this.#videoSocket.address().port, audio: this.#audioSocket.address().port };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Encodes the MPEG-TS (`data` events) from the next beat on, or no more: ffmpeg's libx264 and AAC run only while an
   * output or the recording takes what they make. A stream started again starts anew (a new ffmpeg).
   */
  encodeTransportStream(on: boolean): void {
    if (this.#closed || on === (this.#encoder !== undefined)) return;
    if (on) return this.#startEncoder();
    const encoder = this.#encoder!;
    this.#encoder = undefined;
    this.#pending = Buffer.alloc(0);
    encoder.kill('SIGKILL');
  }

  /** Seconds of program composed since the start: the program's own clock. */
  get composedSeconds(): number {
    return this.#beats / this.#options.frameRate;
  }

  /** Beats skipped because the encoder fell behind (the machine is overloaded). */
  get skippedBeats(): number {
    return this.#skippedBeats;
  }

  /** What the source shown in `view` has given since it was shown. */
  shownVideo(view: ProgramView = 'program'): ShownVideoStats {
    return this.#views[view].stats;
  }

  /**
   * The program (or the speaker view) shows another source from its next key frame on (the last picture stays
   * until then); null: black.
   */
  show(source: ProgramVideoSource | null, view: ProgramView = 'program'): void {
    this.#views[view].show(source);
  }

  /**
   * Sends a view's picture as H.264 RTP to `target` (loopback) besides the MPEG-TS: the program's, one encode that
   * every SIP call is sent; the speaker view's, for the call that is shown. null: no more.
   */
  sendVideo(target: RtpTarget | null, options: { view?: ProgramView; bitrateKbps?: number; keyFrameEverySeconds?: number } = {}): void {
    const view = options.view ?? 'program';
    this.#stopOut(this.#videoOut[view]);
    this.#videoOut[view] = undefined;
    if (view === 'speakerView') this.#speakerViewSlots = undefined;
    if (!target || this.#closed) return;
    const out: RtpOut = { encoder: undefined };
    this.#videoOut[view] = out;
    // the speaker view's pictures are its own: a ring of slots beside the program's
    if (view === 'speakerView')
      this.#speakerViewSlots = {
        slots: Array.from({ length: maxEncoderBacklogFrames + 3 }, () => Buffer.allocUnsafe(this.#pictureBytes)),
        written: 0,
      };
    const { size, frameRate } = this.#options;
    const { bitrateKbps = 1500, keyFrameEverySeconds } = options;
    this.#startOut(out, 'video', () => RtpEncoder.video({ size, frameRate, bitrateKbps, target, keyFrameEverySeconds }));
  }

  /** A key frame of a view's RTP picture at once (a SIP call's PLI or FIR). */
  requestVideoKeyFrame(view: ProgramView = 'program'): void {
    this.#videoOut[view]?.encoder?.requestKeyFrame();
  }

  /** Sends `listener` the mix without its own voice as RTP (Opus or G.711) to `target` (loopback); replaces an earlier one. */
  sendMixMinus(listener: string, target: RtpTarget, ownVoice: () => number | undefined, codec: MixCodec = 'opus'): void {
    this.stopMixMinus(listener);
    if (this.#closed) return;
    const out: MixMinusOut = { encoder: undefined, ownVoice };
    this.#mixMinus.set(listener, out);
    this.#startOut(out, 'audio', () => RtpEncoder.audio({ beatMs: 1000 / this.#options.frameRate, codec, target }));
  }

  stopMixMinus(listener: string): void {
    this.#stopOut(this.#mixMinus.get(listener));
    this.#mixMinus.delete(listener);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#clock);
    for (const view of programViews) {
      this.#stopOut(this.#videoOut[view]);
      this.#views[view].close();
    }
    for (const out of this.#mixMinus.values()) this.#stopOut(out);
    this.#mixer.close();
    this.#encoder?.kill('SIGKILL');
    this.#videoSocket.close();
    this.#audioSocket.close();
  }

  /** Starts an RTP encoder, and again a while after it ends, while `out` is still wanted. */
  #startOut(out: RtpOut, kind: 'video' | 'audio', start: () => Promise<RtpEncoder>): void {
    const wanted = () =>
      !this.#closed &&
      (programViews.some((view) => this.#videoOut[view] === out) || [...this.#mixMinus.values()].includes(out as MixMinusOut));
    start().then(
      (encoder) => {
        if (!wanted()) return encoder.close();
        out.encoder = encoder;
        encoder.on('failed', (reason) => {
          this.emit('rtpOutFailed', kind, reason);
          out.encoder = undefined;
          out.restart = setTimeout(() => wanted() && this.#startOut(out, kind, start), rtpRestartMs);
        });
      },
      (error: unknown) => {
        this.emit('rtpOutFailed', kind, error instanceof Error ? error.message : String(error));
        out.restart = setTimeout(() => wanted() && this.#startOut(out, kind, start), rtpRestartMs);
      },
    );
  }

  #stopOut(out: RtpOut | undefined): void {
    if (!out) return;
    clearTimeout(out.restart);
    out.encoder?.close();
    out.encoder = undefined;
  }

  /** The MPEG-TS encoder; its end, unasked, ends the composer (its owner composes again). */
  #startEncoder(): void {
    const encoder = spawn(...ownedCommand('ffmpeg', encoderArguments(this.#options)), {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
    });
    this.#encoder = encoder;
    encoder.stdout!.on('data', (chunk: Buffer) => this.#encoder === encoder && this.#output(chunk));
    encoder.stderr!.on('data', (chunk: Buffer) => (this.#lastError = chunk.toString().trim().split('\n').at(-1) ?? ''));
    for (const pipe of [encoder.stdio[3], encoder.stdio[4]]) pipe!.on('error', () => undefined); // the exit says why
    encoder.on('exit', (code, signal) => {
      if (this.#encoder !== encoder) return; // stopped: no output wants it
      if (!this.#closed) this.emit('failed', this.#lastError || `the program's encoder exited (${signal ?? code})`);
      this.close();
    });
  }

  #startClock(): void {
    this.#startedAt = performance.now();
    const beatMs = 1000 / this.#options.frameRate;
    // beats due since the start, so timer jitter never changes the program's pace
    this.#clock = setInterval(() => {
      for (const view of programViews) this.#views[view].beat();
      const due = Math.floor((performance.now() - this.#startedAt) / beatMs);
      for (; this.#beats < due; this.#beats++) {
        const [videoIn, audioIn] = this.#encoder ? [this.#encoder.stdio[3] as Writable, this.#encoder.stdio[4] as Writable] : [];
        if (videoIn && videoIn.writableLength > maxEncoderBacklogFrames * this.#pictureBytes) {
          this.#skippedBeats++;
          continue;
        }
        // by writes, not beats: after skipped beats a beat's slot may still be queued for the encoder
        const slot = this.#slots[this.#written++ % this.#slots.length]!;
        this.#views.program.picture.copy(slot);
        videoIn?.write(slot);
        // an RTP encoder lags no more than the program's (it skips beats of its own): a slot is free when reused
        this.#videoOut.program?.encoder?.write(slot);
        const speakerView = this.#speakerViewSlots;
        const speakerViewEncoder = this.#videoOut.speakerView?.encoder;
        if (speakerView && speakerViewEncoder) {
          const own = speakerView.slots[speakerView.written++ % speakerView.slots.length]!;
          this.#views.speakerView.picture.copy(own);
          speakerViewEncoder.write(own);
        }
        const ownVoices = new Map([...this.#mixMinus].map(([listener, out]) => [listener, out.ownVoice()]));
        const { mix, minus } = this.#mixer.takeWithMinus(beatMs, ownVoices);
        audioIn?.write(mix);
        for (const [listener, pcm] of minus) this.#mixMinus.get(listener)?.encoder?.write(pcm);
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
