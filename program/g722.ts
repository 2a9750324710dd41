/**
 * ITU-T G.722 at 64 kbit/s (what room systems call "G.722"), decoded for the mixer: each byte carries a low band
 * sample (6 bits, ADPCM) and a high band sample (2 bits, ADPCM) at 8 kHz; a quadrature mirror filter joins the two
 * bands into two 16 kHz samples. The blocks are named as in the Recommendation; the arithmetic is its fixed point,
 * so what is heard is what any other G.722 decoder hears (checked against ffmpeg's in the unit tests).
 */

/** Block 3L/3H: the scale factor's log-to-linear table. */
const inverseLog = [
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960, 3025, 3091, 3158, 3228, 3298,
  3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
];
/** Low band: the 6-bit code's quantized difference (what is heard) and the 4-bit one's (what adapts the predictor). */
const lowLevels6 = [
  -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856, -7192, -6576, -6000,
  -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280,
  11192, 10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136,
  -432, -136,
];
const lowLevels4 = [0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0];
/** Low band: the 4-bit code's magnitude, and the log scale factor's step for each magnitude. */
const lowMagnitude = [0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0];
const lowScaleStep = [-60, -30, 58, 172, 334, 538, 1198, 3042];
/** High band: the 2-bit code's quantized difference, its magnitude and the scale factor's step. */
const highLevels = [-7408, -1616, 7408, 1616];
const highMagnitude = [2, 1, 2, 1];
const highScaleStep = [0, -214, 798];
/** The receive QMF's coefficients (24 taps, symmetric: 12 given). */
const qmf = [3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11];

const clamp16 = (value: number) => (value > 32767 ? 32767 : value < -32768 ? -32768 : value);
const clamp = (value: number, low: number, high: number) => (value > high ? high : value < low ? low : value);

/** One band's adaptive predictor (blocks 4L/4H: two poles, six zeros) and scale factor. */
class BandState {
  /** The predicted signal (`s`), its pole part (`sp`) and its zero part (`sz`). */
  estimate = 0;
  #poleEstimate = 0;
  zeroEstimate = 0;
  readonly #reconstructed = [0, 0, 0];
  readonly #poles = [0, 0, 0];
  readonly #partial = [0, 0, 0];
  readonly #differences = [0, 0, 0, 0, 0, 0, 0];
  readonly #zeros = [0, 0, 0, 0, 0, 0, 0];
  /** The log scale factor (`nb`) and the linear one (`det`). */
  logScale = 0;
  scale: number;

  constructor(initialScale: number) {
    this.scale = initialScale;
  }

  /** Blocks 3L/3H: the log scale factor moves by `step`, within `[0, ceiling]`, and the linear one follows. */
  adaptScale(step: number, ceiling: number, shiftBase: number): void {
    this.logScale = clamp(((this.logScale * 127) >> 7) + step, 0, ceiling);
    const mantissa = inverseLog[(this.logScale >> 6) & 31]!;
    const shift = shiftBase - (this.logScale >> 11);
    this.scale = (shift < 0 ? mantissa << -shift : mantissa >> shift) << 2;
  }

  /** Block 4: the predictor learns from the quantized difference `d` and predicts the next sample. */
  adapt(d: number): void {
    const differences = this.#differences;
    const zeros = this.#zeros;
    const poles = this.#poles;
    const partial = this.#partial;
    const reconstructed = this.#reconstructed;
    differences[0] = d;
    reconstructed[0] = clamp16(this.estimate + d);
    partial[0] = clamp16(this.zeroEstimate + d);

    // UPPOL2: the second pole
    const sign0 = partial[0] >> 15;
    const sign1 = partial[1]! >> 15;
    const sign2 = partial[2]! >> 15;
    const a1Times4 = clamp16(poles[1]! << 2);
    const pole2Step = Math.min(sign0 === sign1 ? -a1Times4 : a1Times4, 32767);
    const nextPole2 = clamp((pole2Step >> 7) + (sign0 === sign2 ? 128 : -128) + ((poles[2]! * 32512) >> 15), -12288, 12288);
    // UPPOL1: the first pole, bounded by the second
    const bound = clamp16(15360 - nextPole2);
    const nextPole1 = clamp(clamp16((sign0 === sign1 ? 192 : -192) + ((poles[1]! * 32640) >> 15)), -bound, bound);
    // UPZERO: the six zeros lean towards the differences' signs
    const step = d === 0 ? 0 : 128;
    const signD = d >> 15;
    const nextZeros = [0];
    for (let i = 1; i < 7; i++) nextZeros.push(clamp16((differences[i]! >> 15 === signD ? step : -step) + ((zeros[i]! * 32640) >> 15)));

    // DELAYA: everything moves one sample on
    for (let i = 6; i > 0; i--) {
      differences[i] = differences[i - 1]!;
      zeros[i] = nextZeros[i]!;
    }
    reconstructed[2] = reconstructed[1]!;
    reconstructed[1] = reconstructed[0];
    partial[2] = partial[1]!;
    partial[1] = partial[0];
    poles[2] = nextPole2;
    poles[1] = nextPole1;

    // FILTEP, FILTEZ, PREDIC
    this.#poleEstimate = clamp16(((poles[1] * clamp16(reconstructed[1] * 2)) >> 15) + ((poles[2] * clamp16(reconstructed[2] * 2)) >> 15));
    let zero = 0;
    for (let i = 6; i > 0; i--) zero += (zeros[i]! * clamp16(differences[i]! * 2)) >> 15;
    this.zeroEstimate = clamp16(zero);
    this.estimate = clamp16(this.#poleEstimate + this.zeroEstimate);
  }
}

/** A G.722 (64 kbit/s) decoder for one voice: keeps its bands' state from packet to packet. */
export class G722Decoder {
  readonly #low = new BandState(32);
  readonly #high = new BandState(8);
  /** The QMF's last 24 inputs. */
  readonly #history = new Int32Array(24);

  /** A packet's bytes as 16 kHz samples (two per byte). */
  decode(payload: Uint8Array): Int16Array {
    const out = new Int16Array(payload.length * 2);
    const low = this.#low;
    const high = this.#high;
    const history = this.#history;
    for (let n = 0; n < payload.length; n++) {
      const code = payload[n]!;
      const lowCode = code & 0x3f;
      const highCode = code >> 6;

      // low band: INVQBL, RECONS, LIMIT; then INVQAL with the 4-bit code adapts the predictor
      const lowSample = clamp(low.estimate + ((low.scale * lowLevels6[lowCode]!) >> 15), -16384, 16383);
      const lowCode4 = lowCode >> 2;
      const lowDifference = (low.scale * lowLevels4[lowCode4]!) >> 15;
      low.adaptScale(lowScaleStep[lowMagnitude[lowCode4]!]!, 18432, 8);
      low.adapt(lowDifference);

      // high band: INVQAH, RECONS, LIMIT, then its scale and predictor
      const highDifference = (high.scale * highLevels[highCode]!) >> 15;
      const highSample = clamp(highDifference + high.estimate, -16384, 16383);
      high.adaptScale(highScaleStep[highMagnitude[highCode]!]!, 22528, 10);
      high.adapt(highDifference);

      // the receive QMF: the bands' sum and difference into two output samples
      history.copyWithin(0, 2);
      history[22] = lowSample + highSample;
      history[23] = lowSample - highSample;
      let even = 0;
      let odd = 0;
      for (let i = 0; i < 12; i++) {
        even += history[2 * i]! * qmf[i]!;
        odd += history[2 * i + 1]! * qmf[11 - i]!;
      }
      out[2 * n] = clamp16(odd >> 11);
      out[2 * n + 1] = clamp16(even >> 11);
    }
    return out;
  }
}
