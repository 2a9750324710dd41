import OpusScript from 'opusscript';
import { RtpReorderBuffer } from './RtpReorderBuffer.js';
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
  decoder: OpusScript;
  order: RtpReorderBuffer;
  /** Decoded interleaved stereo samples not played yet. */
  queue: Int16Array[];
  queued: number;
  /** Buffered enough to play (again, after it ran dry). */
  playing: boolean;
  lastPacketAt: number;
}

/**
 * The program's sound: the forwarded microphones' Opus streams (one SSRC each, as the SFU sends them to
 * the program), each decoded and buffered against jitter, summed into one 48 kHz stereo signal taken a
 * slice at a time by the program's clock.
 */
export class AudioMixer {
  readonly #voices = new Map<number, Voice>();

  push(packet: RtpPacket, now = Date.now()): void {
    let voice = this.#voices.get(packet.ssrc);
    if (!voice) {
      voice = {
        decoder: new OpusScript(sampleRate, channels, OpusScript.Application.AUDIO),
        order: new RtpReorderBuffer({ maxHoldMs: 40 }),
        queue: [],
        queued: 0,
        playing: false,
        lastPacketAt: now,
      };
      this.#voices.set(packet.ssrc, voice);
    }
    voice.lastPacketAt = now;
    for (const { packet: next } of voice.order.push(packet, now)) {
      let pcm: Buffer;
      try {
        pcm = voice.decoder.decode(next.payload);
      } catch {
        continue; // a packet the decoder refuses is a moment of silence, not the end of the voice
      }
      const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2).slice();
      voice.queue.push(samples);
      voice.queued += samples.length / channels;
    }
    const excess = voice.queued - samplesIn(maxBufferedMs);
    if (excess > 0) this.#drop(voice, voice.queued - samplesIn(targetBufferedMs));
  }

  /** The next `ms` of the mix, as interleaved 16-bit stereo: silence where nobody speaks. */
  take(ms: number, now = Date.now()): Buffer {
    const frames = samplesIn(ms);
    const sum = new Int32Array(frames * channels);
    for (const [ssrc, voice] of this.#voices) {
      if (voice.queued === 0 && now - voice.lastPacketAt > forgetAfterMs) {
        voice.decoder.delete();
        this.#voices.delete(ssrc);
        continue;
      }
      if (!voice.playing && voice.queued >= samplesIn(targetBufferedMs)) voice.playing = true;
      if (!voice.playing) continue;
      this.#mixInto(voice, sum, frames);
      if (voice.queued === 0) voice.playing = false;
    }
    const out = Buffer.allocUnsafe(sum.length * 2);
    for (let i = 0; i < sum.length; i++) out.writeInt16LE(Math.max(-32768, Math.min(32767, sum[i]!)), i * 2);
    return out;
  }

  /** The voices heard lately (for the program's state). */
  get voices(): number {
    return this.#voices.size;
  }

  close(): void {
    for (const voice of this.#voices.values()) voice.decoder.delete();
    this.#voices.clear();
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
