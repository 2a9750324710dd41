import { OpusDecoder } from 'opus-decoder';
import { RtpReorderBuffer } from './RtpReorderBuffer.js';
import { TelephonyDecoder, telephonyCodecOf } from './TelephonyDecoder.js';
import type { RtpPacket } from './rtp.js';

const sampleRate = 48_000;
const channels = 2;
/** A voice is played once this much of it is buffered (network jitter), and trimmed back to it when it grows past `maxBufferedMs`. */
const targetBufferedMs = 60;
const maxBufferedMs = 300;
/** A voice silent for this long is forgotten (its decoder freed): its microphone was muted, or is no longer forwarded. */
const forgetAfterMs = 3000;

const samplesIn = (ms: number) => (sampleRate / 1000) * ms;

interface Voice {
  /**
   * Opus: libopus in a WebAssembly instance of the voice's own (what one decoder does cannot reach another's
   * memory). A room system's G.711 or G.722 is decoded here, synchronously.
   */
  decoder: OpusDecoder<48000> | undefined;
  telephony: TelephonyDecoder | undefined;
  /** Its instance has started (asynchronously); packets before that wait in `early`. */
  ready: boolean;
  early: Uint8Array[];
  order: RtpReorderBuffer;
  /** Decoded interleaved stereo samples not played yet. */
  queue: Int16Array[];
  queued: number;
  /** Buffered enough to play (again, after it ran dry). */
  playing: boolean;
  lastPacketAt: number;
}

export interface AudioMixerOptions {
  /**
   * A voice's packet could not be decoded (and was dropped), or its decoder failed (and the voice starts
   * again with a new one at its next packet). The mix goes on either way.
   */
  onDecodeError?: (ssrc: number, reason: string) => void;
}

/**
 * The program's sound: the forwarded microphones' Opus streams, or a room system's G.711 or G.722 (one SSRC each, as the
 * SFU sends them to the program), each decoded and buffered against jitter, summed into one 48 kHz stereo signal taken a
 * slice at a time by the program's clock.
 */
export class AudioMixer {
  readonly #voices = new Map<number, Voice>();
  readonly #onDecodeError: (ssrc: number, reason: string) => void;
  #decodeErrors = 0;

  constructor(options: AudioMixerOptions = {}) {
    this.#onDecodeError = options.onDecodeError ?? (() => undefined);
  }

  push(packet: RtpPacket, now = Date.now()): void {
    const voice = this.#voices.get(packet.ssrc) ?? this.#newVoice(packet.ssrc, packet.payloadType, now);
    voice.lastPacketAt = now;
    for (const { packet: next } of voice.order.push(packet, now)) {
      if (voice.ready) this.#decode(packet.ssrc, voice, next.payload);
      // a slow start keeps no more than the jitter buffer would
      else if (voice.early.push(next.payload) > maxBufferedMs / 20) voice.early.shift();
    }
    const excess = voice.queued - samplesIn(maxBufferedMs);
    if (excess > 0) this.#drop(voice, voice.queued - samplesIn(targetBufferedMs));
  }

  /** Voices whose decoder is still starting (their first packets wait for it). */
  get startingVoices(): number {
    return [...this.#voices.values()].filter((voice) => !voice.ready).length;
  }

  /** Packets dropped, or decoders replaced, because libopus refused what it was given. */
  get decodeErrors(): number {
    return this.#decodeErrors;
  }

  /** The next `ms` of the mix, as interleaved 16-bit stereo: silence where nobody speaks. */
  take(ms: number, now = Date.now()): Buffer {
    return this.takeWithMinus(ms, new Map(), now).mix;
  }

  /**
   * The next `ms` of the mix, and for each listener the same mix without its own voice (a mix-minus: a room
   * system never hears itself come back). `ownVoices`: each listener's own voice by SSRC (undefined: it has
   * none in the mix, and hears all of it).
   */
  takeWithMinus(
    ms: number,
    ownVoices: ReadonlyMap<string, number | undefined>,
    now = Date.now(),
  ): { mix: Buffer; minus: Map<string, Buffer> } {
    const frames = samplesIn(ms);
    const sum = new Int32Array(frames * channels);
    const owners = new Set([...ownVoices.values()].filter((ssrc) => ssrc !== undefined));
    const contributions = new Map<number, Int32Array>();
    for (const [ssrc, voice] of this.#voices) {
      if (voice.queued === 0 && now - voice.lastPacketAt > forgetAfterMs) {
        this.#forget(ssrc, voice);
        continue;
      }
      if (!voice.playing && voice.queued >= samplesIn(targetBufferedMs)) voice.playing = true;
      if (!voice.playing) continue;
      if (owners.has(ssrc)) {
        const own = new Int32Array(frames * channels);
        this.#mixInto(voice, own, frames);
        for (let i = 0; i < own.length; i++) sum[i]! += own[i]!;
        contributions.set(ssrc, own);
      } else {
        this.#mixInto(voice, sum, frames);
      }
      if (voice.queued === 0) voice.playing = false;
    }
    const minus = new Map<string, Buffer>();
    for (const [listener, ssrc] of ownVoices) {
      const own = ssrc === undefined ? undefined : contributions.get(ssrc);
      minus.set(listener, toPcm(sum, own));
    }
    return { mix: toPcm(sum), minus };
  }

  /** The voices heard lately (for the program's state). */
  get voices(): number {
    return this.#voices.size;
  }

  close(): void {
    for (const [ssrc, voice] of this.#voices) this.#forget(ssrc, voice);
  }

  #newVoice(ssrc: number, payloadType: number, now: number): Voice {
    const telephonyCodec = telephonyCodecOf(payloadType);
    const voice: Voice = {
      decoder: telephonyCodec ? undefined : new OpusDecoder({ sampleRate, channels }),
      telephony: telephonyCodec ? new TelephonyDecoder(telephonyCodec) : undefined,
      ready: telephonyCodec !== undefined,
      early: [],
      order: new RtpReorderBuffer({ maxHoldMs: 40 }),
      queue: [],
      queued: 0,
      playing: false,
      lastPacketAt: now,
    };
    this.#voices.set(ssrc, voice);
    if (!voice.decoder) return voice;
    voice.decoder.ready.then(
      () => {
        voice.ready = true;
        // forgotten while its instance started: freed now
        if (this.#voices.get(ssrc) !== voice) return this.#forget(ssrc, voice);
        for (const payload of voice.early.splice(0)) this.#decode(ssrc, voice, payload);
      },
      (error: unknown) => this.#failed(ssrc, voice, error),
    );
    return voice;
  }

  #decode(ssrc: number, voice: Voice, payload: Uint8Array): void {
    if (voice.telephony) {
      const samples = voice.telephony.decode(payload);
      voice.queue.push(samples);
      voice.queued += samples.length / channels;
      return;
    }
    if (!voice.decoder) return;
    let decoded: ReturnType<OpusDecoder<48000>['decodeFrame']>;
    try {
      decoded = voice.decoder.decodeFrame(payload);
    } catch (error) {
      this.#failed(ssrc, voice, error);
      return;
    }
    const [problem] = decoded.errors;
    if (problem) {
      // a packet libopus refuses is a moment of silence, not the end of the voice
      this.#decodeErrors++;
      this.#onDecodeError(ssrc, problem.message);
      return;
    }
    const [left, right = left] = decoded.channelData;
    if (!left || decoded.samplesDecoded === 0) return;
    const samples = new Int16Array(decoded.samplesDecoded * channels);
    for (let i = 0; i < decoded.samplesDecoded; i++) {
      samples[2 * i] = toInt16(left[i]!);
      samples[2 * i + 1] = toInt16(right![i]!);
    }
    voice.queue.push(samples);
    voice.queued += decoded.samplesDecoded;
  }

  /** The voice's decoder broke: it is let go, and the voice's next packet starts a new one. */
  #failed(ssrc: number, voice: Voice, error: unknown): void {
    this.#decodeErrors++;
    this.#onDecodeError(ssrc, error instanceof Error ? error.message : String(error));
    this.#forget(ssrc, voice);
  }

  #forget(ssrc: number, voice: Voice): void {
    if (this.#voices.get(ssrc) === voice) this.#voices.delete(ssrc);
    try {
      if (voice.ready) voice.decoder?.free();
    } catch {
      // a decoder that failed may not free cleanly; its instance is garbage either way
    }
  }

  #mixInto(voice: Voice, sum: Int32Array, frames: number): void {
    let at = 0;
    const wanted = frames * channels;
    while (at < wanted && voice.queue.length > 0) {
      const head = voice.queue[0]!;
      const n = Math.min(head.length, wanted - at);
      for (let i = 0; i < n; i++) sum[at + i]! += head[i]!;
      at += n;
      if (n === head.length) voice.queue.shift();
      else voice.queue[0] = head.subarray(n);
      voice.queued -= n / channels;
    }
  }

  #drop(voice: Voice, frames: number): void {
    let left = frames * channels;
    while (left > 0 && voice.queue.length > 0) {
      const head = voice.queue[0]!;
      if (head.length <= left) {
        voice.queue.shift();
        left -= head.length;
        voice.queued -= head.length / channels;
      } else {
        voice.queue[0] = head.subarray(left);
        voice.queued -= left / channels;
        left = 0;
      }
    }
  }
}

/** Interleaved 16-bit samples (the machine's order: little-endian on x86-64), clipped; `minus` subtracted first. */
function toPcm(sum: Int32Array, minus?: Int32Array): Buffer {
  const out = new Int16Array(sum.length);
  for (let i = 0; i < sum.length; i++) {
    const sample = minus ? sum[i]! - minus[i]! : sum[i]!;
    out[i] = sample > 32767 ? 32767 : sample < -32768 ? -32768 : sample;
  }
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

const toInt16 = (sample: number) => Math.round(Math.max(-1, Math.min(1, sample)) * 32767);
