import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraSimulatorFarm } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import { RtspRecorder, type WireFrame } from '../cameras/RtspRecorder.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const frameTicks = 90_000 / 25;

/** Largest wall-clock gap between consecutive frames, in ms. */
const largestGap = (frames: WireFrame[]) => Math.max(...frames.slice(1).map((f, i) => f.receivedAt - frames[i]!.receivedAt));

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
      // Other clients come and go for 13 s: more than the 10 s clip, so the loop point is crossed.
      const others = (async () => {
        await sleep(1000);
        await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', uri], { timeout: 20_000 });
        await ffmpegPull(uri, 3);
        const second = await RtspRecorder.open(uri);
        await sleep(1500);
        await second.close();
        await Promise.all([
          ffmpegPull(uri, 2),
          run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', uri], { timeout: 20_000 }),
          ffmpegPull(farm.pullUri(1, 'main'), 2),
        ]);
      })();
      await Promise.all([others, sleep(13_000)]);
    } finally {
      await watched.close();
    }
    const frames = watched.frames;
    expect(frames.length).toBeGreaterThan(13 * 25 * 0.9);
    expect(watched.nonAdvancing()).toEqual([]);
    // Each frame one frame time after the last, wall clock and media clock alike: no jumps, no bursts.
    const steps = new Set(frames.slice(1).map((f, i) => (f.rtpTimestamp - frames[i]!.rtpTimestamp) >>> 0));
    expect([...steps]).toEqual([frameTicks]);
    expect(largestGap(frames)).toBeLessThan(1000);
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
    await sleep(1500);
    await right.close();
    expect(right.frames.length).toBeGreaterThan(10);
  });

  it('freezes its timestamps while packets keep flowing, and thaws', async () => {
    const watched = await RtspRecorder.open(farm.pullUri(1, 'sub'));
    try {
      await sleep(1500);
      farm.freezeCamera(1, true);
      const frozenFrom = watched.frames.length;
      await sleep(2000);
      const frozen = watched.frames.slice(frozenFrom);
      farm.freezeCamera(1, false);
      await sleep(1500);
      expect(frozen.length).toBeGreaterThan(40);
      expect(new Set(frozen.map((f) => f.rtpTimestamp)).size).toBe(1);
      const after = watched.frames.slice(frozenFrom + frozen.length + 1);
      expect(after.length).toBeGreaterThan(25);
      expect(new Set(after.map((f) => f.rtpTimestamp)).size).toBe(after.length);
    } finally {
      farm.freezeCamera(1, false);
      await watched.close();
    }
  });

  it('is unplugged (connections cut, port closed) and comes back on the same port', async () => {
    const uri = farm.pullUri(1, 'sub');
    const watched = await RtspRecorder.open(uri);
    await sleep(500);
    await farm.stopCamera(1);
    await expect(RtspRecorder.open(uri)).rejects.toThrow(/ECONNREFUSED/);
    const cut = watched.frames.length;
    await sleep(500);
    expect(watched.frames.length).toBe(cut);
    await watched.close();
    await farm.startCamera(1);
    const again = await RtspRecorder.open(uri);
    await sleep(1500);
    await again.close();
    expect(again.frames.length).toBeGreaterThan(10);
  });
});
