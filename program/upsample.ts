/**
 * A telephony codec's mono samples as the mixer's interleaved 48 kHz stereo: `factor` frames drawn between each
 * sample and the next (linearly, from `previous`, the last sample of the packet before), the same on both channels.
 * Returns the samples and the packet's last sample for the next one.
 */
export function toStereo48k(mono: Int16Array, factor: number, previous: number): { samples: Int16Array; last: number } {
  const samples = new Int16Array(mono.length * factor * 2);
  let from = previous;
  for (let i = 0; i < mono.length; i++) {
    const to = mono[i]!;
    for (let step = 0; step < factor; step++) {
      const value = Math.round(from + ((to - from) * (step + 1)) / factor);
      const at = (i * factor + step) * 2;
      samples[at] = value;
      samples[at + 1] = value;
    }
    from = to;
  }
  return { samples, last: from };
}
