import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../prisma/index.js';
import { G722Decoder } from '../../program/g722.js';

const speech = path.join(projectRoot, 'test', 'fixtures', 'speech-like.wav');

describe('G.722 as the mixer decodes it', () => {
  it("hears a room system's G.722 sample for sample as ffmpeg's decoder (a bit-exact one) does, packet by packet", () => {
    // the fixture as a room system sends it (64 kbit/s: 160 bytes a 20 ms packet), and what ffmpeg decodes of it
    const encoded = execFileSync(
      'ffmpeg',
      ['-v', 'error', '-i', speech, '-ar', '16000', '-ac', '1', '-c:a', 'g722', '-f', 'g722', 'pipe:1'],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const reference = execFileSync('ffmpeg', ['-v', 'error', '-f', 'g722', '-i', 'pipe:0', '-f', 's16le', 'pipe:1'], {
      input: encoded,
      maxBuffer: 16 * 1024 * 1024,
    });
    const expected = new Int16Array(reference.buffer, reference.byteOffset, reference.length / 2);

    const decoder = new G722Decoder();
    const decoded: Int16Array[] = [];
    for (let at = 0; at < encoded.length; at += 160) decoded.push(decoder.decode(encoded.subarray(at, at + 160)));
    const samples = Int16Array.from(decoded.flatMap((packet) => Array.from(packet)));

    expect(samples.length).toBe(expected.length);
    // the speech is there (not a decoder that stays silent alike on both sides)
    expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(3000);
    const firstDifference = samples.findIndex((sample, i) => sample !== expected[i]);
    expect(firstDifference, `differs from sample ${firstDifference}`).toBe(-1);
  });
});
