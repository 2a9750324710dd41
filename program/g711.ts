/** G.711 (PCMU, PCMA) as the mixer takes it: 8 kHz samples to the program's 48 kHz stereo. */
export type G711Law = 'pcmu' | 'pcma';

/** ITU-T G.711 µ-law expansion of one byte to a 16-bit sample. */
function muLaw(byte: number): number {
  const u = ~byte & 0xff;
  const magnitude = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - magnitude : magnitude - 0x84;
}

/** ITU-T G.711 A-law expansion of one byte to a 16-bit sample. */
function aLaw(byte: number): number {
  const a = byte ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let magnitude = (a & 0x0f) << 4;
  magnitude += segment === 0 ? 8 : 0x108;
  if (segment > 1) magnitude <<= segment - 1;
  return a & 0x80 ? magnitude : -magnitude;
}

const tables: Record<G711Law, Int16Array> = {
  pcmu: Int16Array.from({ length: 256 }, (_, byte) => muLaw(byte)),
  pcma: Int16Array.from({ length: 256 }, (_, byte) => aLaw(byte)),
};

/**
 * One packet of G.711 as interleaved 48 kHz stereo: each 8 kHz sample expanded, then six frames drawn between it
 * and the next (linearly, from `previous`, the last sample of the packet before), the same on both channels.
 * Returns the samples and this packet's last sample for the next one.
 */
export function g711ToStereo48k(payload: Uint8Array, law: G711Law, previous: number): { samples: Int16Array; last: number } {
  const table = tables[law];
  const samples = new Int16Array(payload.length * 6 * 2);
  let from = previous;
  for (let i = 0; i < payload.length; i++) {
    const to = table[payload[i]!]!;
    for (let step = 0; step < 6; step++) {
      const value = Math.round(from + ((to - from) * (step + 1)) / 6);
      const at = (i * 6 + step) * 2;
      samples[at] = value;
      samples[at + 1] = value;
    }
    from = to;
  }
  return { samples, last: from };
}
