import { describe, expect, it } from 'vitest';
import { TelephonyDecoder } from '../../program/TelephonyDecoder.js';

/** The sample a byte expands to: the last of its six frames (the interpolation has reached it). */
const expanded = (byte: number, law: 'pcmu' | 'pcma') => new TelephonyDecoder(law).decode(Uint8Array.of(byte)).at(-1);

describe('G.711 as the mixer takes it', () => {
  it('expands µ-law and A-law bytes as ITU-T G.711 says', () => {
    // µ-law: 0xFF and 0x7F are the two zeros, 0x00 and 0x80 the extremes
    expect([0xff, 0x7f, 0x00, 0x80].map((b) => expanded(b, 'pcmu'))).toEqual([0, 0, -32124, 32124]);
    // A-law: 0xD5 and 0x55 the smallest steps either side of zero, 0x2A and 0xAA the extremes
    expect([0xd5, 0x55, 0x2a, 0xaa].map((b) => expanded(b, 'pcma'))).toEqual([8, -8, -32256, 32256]);
  });

  it('draws six 48 kHz stereo frames per 8 kHz sample, from the last sample of the packet before', () => {
    const decoder = new TelephonyDecoder('pcmu');
    const first = decoder.decode(Uint8Array.of(0x80));
    expect(first.length).toBe(12);
    // a ramp from 0 (the silence before) up to the sample, the same on both channels
    expect(Array.from(first.filter((_, i) => i % 2 === 0))).toEqual([5354, 10708, 16062, 21416, 26770, 32124]);
    expect(Array.from(first.filter((_, i) => i % 2 === 1))).toEqual([5354, 10708, 16062, 21416, 26770, 32124]);
    // the next packet goes on from where this one ended: down to zero
    const next = decoder.decode(Uint8Array.of(0xff));
    expect(Array.from(next.filter((_, i) => i % 2 === 0))).toEqual([26770, 21416, 16062, 10708, 5354, 0]);
  });
});
