import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraSimulatorFarm } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import { RtspRecorder } from '../cameras/RtspRecorder.js';

const run = promisify(execFile);
const frameTicks = 90_000 / 25;

/** Waits (generously) until the client has received `count` frames. */
const framesAtLeast = (client: RtspRecorder, count: number) =>
  expect.poll(() => client.frames.length, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(count);

/** The rig must behave like real cameras, or the wall's tests judge the rig instead of the product. */
describe('simulated cameras behave like real ones', () => {
  let farm: CameraSimulatorFarm;
  const ffmpegPull = (uri: string, seconds: number) =>
    run('ffmpeg', ['-v', 'error', '-rtsp_transport', 'tcp', '-i', uri, '-t', String(seconds), '-an', '-c:v', 'copy', '-f', 'null', '-'], {
      timeout: 30_000,
    });

  beforeAll(async () => {
    farm = await CameraSimulatorFarm.start({ cameras: 2, rtspBasePort: 18900, h265Cameras: [2] });
  });
  afterAll(async () => {
    await farm?.close();
  });

  it('never disturbs a client while others join and leave, and keeps timestamps rising across the clip loop', async () => {
    const uri = farm.pullUri(1, 'sub');
    const watched = await RtspRecorder.open(uri);
    try {
      // Other clients come and go while the watched one receives more than the 10 s clip, so the loop point is crossed.
      await framesAtLeast(watched, 25);
      await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', uri]);
      await ffmpegPull(uri, 3);
      const second = await RtspRecorder.open(uri);
      await framesAtLeast(second, 25);
      await second.close();
      await Promise.all([
        ffmpegPull(uri, 2),
        run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', uri]),
        ffmpegPull(farm.pullUri(1, 'main'), 2),
      ]);
      await framesAtLeast(watched, 13 * 25);
    } finally {
      await watched.close();
    }
    const frames = watched.frames;
    expect(watched.nonAdvancing()).toEqual([]);
    // Each frame one frame time after the last on the media clock: no jumps, no bursts.
    const steps = new Set(frames.slice(1).map((f, i) => (f.rtpTimestamp - frames[i]!.rtpTimestamp) >>> 0));
    expect([...steps]).toEqual([frameTicks]);
    // and at the frame rate on the wall clock, taken over the whole watch (the camera is paced from its start,
    // so a late timer is made up and the count keeps to the clock however busy the machine is)
    const seconds = (frames.at(-1)!.receivedAt - frames[0]!.receivedAt) / 1000;
    const rate = (frames.length - 1) / seconds;
    expect(rate).toBeGreaterThan(25 * 0.9);
    expect(rate).toBeLessThan(25 * 1.1);
  });

  it('serves H.264 main and sub profiles and H.265 as the camera says, to ffprobe', async () => {
    const probe = async (uri: string) =>
      JSON.parse(
        (
          await run(
            'ffprobe',
            ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=codec_name,profile,width,height', '-of', 'json', uri],
            { timeout: 20_000 },
          )
        ).stdout,
      ).streams[0];
    expect(await probe(farm.pullUri(1, 'main'))).toMatchObject({ codec_name: 'h264', profile: 'High', width: 1280, height: 720 });
    expect(await probe(farm.pullUri(1, 'sub'))).toMatchObject({ codec_name: 'h264', profile: 'Main', width: 640, height: 360 });
    expect(await probe(farm.pullUri(2, 'sub'))).toMatchObject({ codec_name: 'hevc' });
  });

  it('asks for the credentials on RTSP (Digest), as the counters’ cameras do', async () => {
    await expect(RtspRecorder.open(farm.cameras[0]!.streams.sub)).rejects.toThrow(/RTSP 401/);
    const wrong = new URL(farm.pullUri(1, 'sub'));
    wrong.password = 'wrong';
    await expect(RtspRecorder.open(wrong.href)).rejects.toThrow(/RTSP 401/);
    const right = await RtspRecorder.open(farm.pullUri(1, 'sub'));
    await framesAtLeast(right, 10);
    await right.close();
  });

  it('freezes its timestamps while packets keep flowing, and thaws', async () => {
    const watched = await RtspRecorder.open(farm.pullUri(1, 'sub'));
    try {
      await framesAtLeast(watched, 25);
      farm.freezeCamera(1, true);
      // frames sent before the freeze may still be on their way: the frozen ones all carry the last timestamp sent
      const frozenFrom = watched.frames.length;
      await framesAtLeast(watched, frozenFrom + 50);
      const frozenAt = watched.frames.at(-1)!.rtpTimestamp;
      farm.freezeCamera(1, false);
      const later = (f: { rtpTimestamp: number }) => f.rtpTimestamp !== frozenAt && (f.rtpTimestamp - frozenAt) >>> 0 < 0x80000000;
      await expect.poll(() => watched.frames.slice(frozenFrom).filter(later).length, { timeout: 60_000 }).toBeGreaterThan(25);
      const frozen = watched.frames.slice(frozenFrom).filter((f) => f.rtpTimestamp === frozenAt);
      expect(frozen.length).toBeGreaterThan(40);
      // thawed: rising again, one timestamp per frame, and never back to the frozen one
      const after = watched.frames.slice(watched.frames.lastIndexOf(frozen.at(-1)!) + 1);
      expect(after.length).toBeGreaterThan(25);
      expect(new Set(after.map((f) => f.rtpTimestamp)).size).toBe(after.length);
      expect(after.every(later)).toBe(true);
    } finally {
      farm.freezeCamera(1, false);
      await watched.close();
    }
  });

  it('is unplugged (connections cut, port closed) and comes back on the same port', async () => {
    const uri = farm.pullUri(1, 'sub');
    const watched = await RtspRecorder.open(uri);
    await framesAtLeast(watched, 10);
    await farm.stopCamera(1);
    await expect(RtspRecorder.open(uri)).rejects.toThrow(/ECONNREFUSED/);
    // the camera cut the connection it was sending on
    await watched.ended;
    await farm.startCamera(1);
    const again = await RtspRecorder.open(uri);
    await framesAtLeast(again, 10);
    await again.close();
  });
});
