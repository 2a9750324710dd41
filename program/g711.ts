/** G.711 (PCMU, PCMA), expanded to 16-bit samples. */
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

/** One packet of G.711 as 8 kHz samples. */
export function expandG711(payload: Uint8Array, law: G711Law): Int16Array {
  const table = tables[law];
  return Int16Array.from(payload, (byte) => table[byte]!);
}
