import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { VideoDecoder } from '../../program/VideoDecoder.js';
import type { EncodedFrame } from '../../program/VideoDepacketizer.js';

/** A camera's VP8 as the program receives it: one key frame, then only pictures that refer to it (1280×720, 2 s). */
function vp8Frames(): EncodedFrame[] {
  const ivf = execFileSync('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=s=1280x720:r=25', '-t', '2'],
    ...['-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '1M', '-g', '1000', '-f', 'ivf', 'pipe:1'],
  ]);
  const frames: EncodedFrame[] = [];
  for (let offset = 32; offset + 12 <= ivf.length;) {
    const size = ivf.readUInt32LE(offset);
    frames.push({ data: ivf.subarray(offset + 12, offset + 12 + size), keyFrame: frames.length === 0 });
    offset += 12 + size;
  }
  return frames;
}

describe("the program's video decoder", () => {
  let decoder: VideoDecoder | undefined;
  afterEach(() => decoder?.close());

  it('decodes from the only key frame a source sends (the first frame written is not lost to the input’s probing)', async () => {
    const frames = vp8Frames();
    expect(frames.length).toBe(50);
    decoder = new VideoDecoder('vp8', { width: 1280, height: 720 });
    let pictures = 0;
    let failed = '';
    decoder.on('frame', () => pictures++);
    decoder.on('failed', (reason) => (failed = reason));
    // written as they come from the network: one a beat, the decoder starting meanwhile
    for (const frame of frames) {
      decoder.write(frame);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // every picture from the first on (ffmpeg holds the latest one or two until more come: on a busy machine, two)
    await expect.poll(() => pictures, { timeout: 60_000 }).toBeGreaterThanOrEqual(frames.length - 3);
    expect(pictures).toBeLessThanOrEqual(frames.length);
    expect(failed).toBe('');
  });
});
