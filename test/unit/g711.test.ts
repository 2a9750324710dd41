import { describe, expect, it } from 'vitest';
import { g711ToStereo48k } from '../../program/g711.js';

/** The sample a byte expands to, read after six frames (the interpolation has reached it). */
const expanded = (byte: number, law: 'pcmu' | 'pcma') => g711ToStereo48k(Uint8Array.of(byte), law, 0).last;

describe('G.711 as the mixer takes it', () => {
  it('expands µ-law and A-law bytes as ITU-T G.711 says', () => {
    // µ-law: 0xFF and 0x7F are the two zeros, 0x00 and 0x80 the extremes
    expect([0xff, 0x7f, 0x00, 0x80].map((b) => expanded(b, 'pcmu'))).toEqual([0, 0, -32124, 32124]);
    // A-law: 0xD5 and 0x55 the smallest steps either side of zero, 0x2A and 0xAA the extremes
    expect([0xd5, 0x55, 0x2a, 0xaa].map((b) => expanded(b, 'pcma'))).toEqual([8, -8, -32256, 32256]);
  });

  it('draws six 48 kHz stereo frames per 8 kHz sample, from the last sample of the packet before', () => {
    const { samples, last } = g711ToStereo48k(Uint8Array.of(0x80), 'pcmu', 0);
    expect(samples.length).toBe(12);
    expect(last).toBe(32124);
    // a ramp from 0 up to the sample, the same on both channels
    expect(Array.from(samples.filter((_, i) => i % 2 === 0))).toEqual([5354, 10708, 16062, 21416, 26770, 32124]);
    expect(Array.from(samples.filter((_, i) => i % 2 === 1))).toEqual([5354, 10708, 16062, 21416, 26770, 32124]);
  });
});
