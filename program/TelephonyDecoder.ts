import { G722Decoder } from './g722.js';
import { expandG711 } from './g711.js';
import { toStereo48k } from './upsample.js';

/** The codecs a room system or an MCU may speak besides Opus. */
export type TelephonyCodec = 'pcmu' | 'pcma' | 'g722';

/** A voice's codec by its payload type in the router: the static ones of RFC 3551 (PCMU 0, PCMA 8, G.722 9); else Opus. */
export function telephonyCodecOf(payloadType: number): TelephonyCodec | undefined {
  return payloadType === 0 ? 'pcmu' : payloadType === 8 ? 'pcma' : payloadType === 9 ? 'g722' : undefined;
}

/**
 * One voice in G.711 (8 kHz) or G.722 (16 kHz), decoded to the mixer's 48 kHz stereo. It keeps what the next packet
 * needs: G.722's band predictors, and the last sample the interpolation draws on from.
 */
export class TelephonyDecoder {
  /** A packet's samples at the codec's own rate, and how many 48 kHz frames each one becomes. */
  readonly #expand: (payload: Uint8Array) => Int16Array;
  readonly #factor: number;
  #lastSample = 0;

  constructor(codec: TelephonyCodec) {
    if (codec === 'g722') {
      const decoder = new G722Decoder();
      this.#expand = (payload) => decoder.decode(payload);
      this.#factor = 3;
    } else {
      this.#expand = (payload) => expandG711(payload, codec);
      this.#factor = 6;
    }
  }

  /** One packet's payload as interleaved 48 kHz stereo. */
  decode(payload: Uint8Array): Int16Array {
    const { samples, last } = toStereo48k(this.#expand(payload), this.#factor, this.#lastSample);
    this.#lastSample = last;
    return samples;
  }
}
