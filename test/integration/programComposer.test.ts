import fs from 'node:fs';
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

  it('encodes the MPEG-TS only while asked to: a program for SIP calls alone runs no ffmpeg, and one turned off stops', async () => {
    composer = await ProgramComposer.start({ transportStream: false });
    let bytes = 0;
    composer.on('data', (chunk) => (bytes += chunk.length));
    await expect.poll(() => composer!.composedSeconds).toBeGreaterThan(1);
    expect(bytes).toBe(0);
    expect(ffmpegChildren()).toBe(0);

    // an output or the recording wants it: the stream comes
    composer.encodeTransportStream(true);
    await expect.poll(() => bytes).toBeGreaterThan(10_000);
    expect(ffmpegChildren()).toBe(1);

    // none any more: the encoder ends, nothing more comes, and the program's clock goes on
    composer.encodeTransportStream(false);
    await expect.poll(ffmpegChildren).toBe(0);
    const after = bytes;
    const stoppedAt = composer.composedSeconds;
    await expect.poll(() => composer!.composedSeconds).toBeGreaterThan(stoppedAt + 1);
    expect(bytes).toBe(after);
    expect(composer.closed).toBe(false);
  });
});

/** This process's ffmpeg children (the composer's encoder; setpriv execs it). */
function ffmpegChildren(): number {
  let count = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const [comm, rest] = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ');
      if (comm!.endsWith('(ffmpeg') && Number(rest!.split(' ')[1]) === process.pid) count++;
    } catch {
      // ended meanwhile
    }
  }
  return count;
}
