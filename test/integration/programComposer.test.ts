import { afterEach, describe, expect, it } from 'vitest';
import { ProgramComposer } from '../../program/index.js';

/** How often the composer asks for a key frame while it waits for one (ProgramComposer's keyFrameRequestEveryMs). */
const keyFrameRequestEveryMs = 1000;

describe('the program composer', () => {
  let composer: ProgramComposer | undefined;
  afterEach(() => composer?.close());

  it('goes on with a black picture and silence before any source, and asks for a source’s key frame until it comes', async () => {
    composer = await ProgramComposer.start();
    let bytes = 0;
    composer.on('data', (chunk) => (bytes += chunk.length));
    // MPEG-TS in whole packets, from the first beats on
    await expect.poll(() => bytes).toBeGreaterThan(10_000);
    expect(bytes % 188).toBe(0);

    // a simulcast consumer forwards nothing before a key frame, and a browser's VP8 sends one only when asked:
    // asked again and again, but not more than once a second
    // (the bound is taken from before show() to after the last request, which holds however late the listener runs)
    let asked = 0;
    composer.on('keyFrameNeeded', () => asked++);
    const shownAt = Date.now();
    composer.show({ codec: 'vp8', ssrc: 1234 });
    await expect.poll(() => asked).toBeGreaterThanOrEqual(3);
    const atMost = Math.floor((Date.now() - shownAt) / keyFrameRequestEveryMs) + 1;
    expect(asked).toBeLessThanOrEqual(atMost);

    // no source, nothing to ask for: two seconds of program later, not one more request
    composer.show(null);
    const before = asked;
    const shownNothingAt = composer.composedSeconds;
    await expect.poll(() => composer!.composedSeconds).toBeGreaterThan(shownNothingAt + 2);
    expect(asked).toBe(before);
  });
});
