import { afterEach, describe, expect, it } from 'vitest';
import { ProgramComposer } from '../../program/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the program composer', () => {
  let composer: ProgramComposer | undefined;
  afterEach(() => composer?.close());

  it('goes on with a black picture and silence before any source, and asks for a source’s key frame until it comes', async () => {
    composer = await ProgramComposer.start();
    let bytes = 0;
    composer.on('data', (chunk) => (bytes += chunk.length));
    await sleep(1500);
    // MPEG-TS in whole packets, from the first beats on
    expect(bytes).toBeGreaterThan(10_000);
    expect(bytes % 188).toBe(0);

    // a simulcast consumer forwards nothing before a key frame, and a browser's VP8 sends one only when asked
    let asked = 0;
    composer.on('keyFrameNeeded', () => asked++);
    composer.show({ codec: 'vp8', ssrc: 1234 });
    await sleep(2600);
    expect(asked).toBeGreaterThanOrEqual(2);
    expect(asked).toBeLessThanOrEqual(4);
    composer.show(null);
    const before = asked;
    await sleep(1500);
    expect(asked).toBe(before);
  });
});
