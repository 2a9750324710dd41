import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraSimulatorFarm } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import type { CameraDto } from '../../shared/cameras.js';
import { testTempDir } from '../support/tempDirs.js';
import { startTestHub, type TestHub } from './helpers.js';

const rtspBasePort = 19100;
const segmentSeconds = 4;
/** The clips asked for: longer than two segments, so each crosses segment boundaries. */
const clipSeconds = 10;
/** The simulated cameras' GOP: a clip starts at the key frame at or before what was asked. */
const gopSeconds = 1;

type Ranges = { ranges: Array<{ start: string; end: string }> };

function probe(file: string): { codec: string; duration: number; width: number } {
  const out = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width:format=duration', '-of', 'json', file], {
      encoding: 'utf8',
    }),
  ) as { streams: Array<{ codec_name: string; width: number }>; format: { duration: string } };
  return { codec: out.streams[0]!.codec_name, width: out.streams[0]!.width, duration: Number(out.format.duration) };
}

describe('camera recording from the wall’s pull: segments, ranges with gaps, clips', () => {
  let hub: TestHub;
  let farm: CameraSimulatorFarm;
  let admin: string;
  let supervisor: string;
  let directory: string;
  const ids: number[] = [];
  let startedAt: number;

  beforeAll(async () => {
    farm = await CameraSimulatorFarm.start({ cameras: 2, rtspBasePort, ptzCameras: [] });
    directory = testTempDir('hub-recordings-');
    hub = await startTestHub({
      cameraFeed: { backoffMs: { initial: 500, max: 2000 } },
      recording: { directory, segmentSeconds, sweepIntervalMs: 2000 },
    });
    admin = await hub.login('admin');
    supervisor = await hub.login('giam-sat');
    for (const n of [1, 2]) {
      const { body } = await hub.api<CameraDto>('POST', '/api/cameras', {
        token: admin,
        body: {
          name: `Quầy ${n}`,
          unitName: 'TTPVHCC',
          counter: `Quầy ${n}`,
          ...farm.registration(n),
        },
      });
      ids.push(body.id);
    }
  });
  afterAll(async () => {
    await hub?.close();
    await farm?.close();
  });

  it('records both cameras for half a minute with one pull each; camera 2 unplugged leaves a gap, not a broken file', async () => {
    const sessionsBefore = [farm.sessionsPlayed(1, 'main'), farm.sessionsPlayed(2, 'main')];
    startedAt = Date.now();
    for (const id of ids) {
      const { status, body } = await hub.api<CameraDto>('PATCH', `/api/cameras/${id}`, { token: admin, body: { recordMode: 'ALWAYS' } });
      expect(status).toBe(200);
      expect(body).toMatchObject({ recordMode: 'ALWAYS', recording: true });
    }
    const window = () => `from=${new Date(startedAt - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const ranges = async (cameraId: number) =>
      (await hub.api<Ranges>('GET', `/api/cameras/${cameraId}/recordings?${window()}`, { token: supervisor })).body.ranges;
    const lengthOf = (range: { start: string; end: string } | undefined) => (range ? Date.parse(range.end) - Date.parse(range.start) : 0);
    // camera 2 recorded for a while, then unplugged until the gateway says it is offline, then plugged back
    await expect.poll(async () => lengthOf((await ranges(ids[1]!))[0]), { timeout: 120_000, interval: 1000 }).toBeGreaterThan(12_000);
    await farm.stopCamera(2);
    await expect.poll(() => hub.app.cameras.get(ids[1]!).status, { timeout: 120_000 }).toBe('OFFLINE');
    const pluggedAt = Date.now();
    await farm.startCamera(2);
    // camera 1: half a minute in one go; camera 2: recording again, for more than a clip
    await expect
      .poll(
        async () => {
          const [one, two] = [await ranges(ids[0]!), await ranges(ids[1]!)];
          return lengthOf(one[0]) > 28_000 && two.length === 2 && lengthOf(two[1]) > 12_000;
        },
        { timeout: 180_000, interval: 1000 },
      )
      .toBe(true);
    // one RTSP session of the main stream per camera, however many segments (camera 2: one more after it came back)
    expect(farm.sessionsPlayed(1, 'main') - sessionsBefore[0]!).toBe(1);
    expect(farm.sessionsPlayed(2, 'main') - sessionsBefore[1]!).toBe(2);

    const one = await ranges(ids[0]!);
    expect(one).toHaveLength(1);
    const two = await ranges(ids[1]!);
    expect(two).toHaveLength(2);
    // the gap holds the time it was seen unplugged: the first range ends with its last packet, before the
    // gateway called it offline, and the second starts after it was plugged back
    expect(Date.parse(two[0]!.end)).toBeLessThan(pluggedAt);
    expect(Date.parse(two[1]!.start)).toBeGreaterThan(pluggedAt);

    // every segment on disk is whole: it probes as H.264 with a duration
    const files = [1, 2].flatMap((i) =>
      fs
        .readdirSync(path.join(directory, String(ids[i - 1])))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => path.join(directory, String(ids[i - 1]), f)),
    );
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) expect(probe(file)).toMatchObject({ codec: 'h264', width: 1280 });
  }, 300_000);

  it('plays back any range as MP4 (codec and duration checked), across segments and across the gap', async () => {
    const { body } = await hub.api<Ranges>(
      'GET',
      `/api/cameras/${ids[0]}/recordings?from=${new Date(startedAt - 60_000).toISOString()}&to=${new Date().toISOString()}`,
      {
        token: supervisor,
      },
    );
    // three windows across segment boundaries, the last ending 5 s short of the live edge (the
    // segment being written is on disk only up to ffmpeg's last flush, up to a second behind its mtime)
    const end = Date.parse(body.ranges[0]!.end);
    expect(end - 27_000).toBeGreaterThanOrEqual(Date.parse(body.ranges[0]!.start));
    for (const before of [17_000, 11_000, 5_000]) {
      const to = new Date(end - before);
      const from = new Date(to.getTime() - clipSeconds * 1000);
      const response = await hub.api('GET', `/api/cameras/${ids[0]}/clip?from=${from.toISOString()}&to=${to.toISOString()}`, {
        token: supervisor,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('video/mp4');
      const file = path.join(testTempDir('hub-clip-'), 'clip.mp4');
      fs.writeFileSync(file, response.raw);
      const clip = probe(file);
      expect(clip.codec).toBe('h264');
      expect(clip.duration).toBeGreaterThanOrEqual(clipSeconds - 0.05);
      expect(clip.duration).toBeLessThanOrEqual(clipSeconds + gopSeconds + 0.05);
      // faststart: the index (moov) comes before the media (mdat)
      expect(response.raw.indexOf('moov')).toBeLessThan(response.raw.indexOf('mdat'));
      expect(response.headers.get('x-clip-sha256')).toMatch(/^[0-9a-f]{64}$/);
    }
    // camera 2: a clip over the gap holds what was recorded on either side, and is a valid file
    const two = await hub.api<Ranges>(
      'GET',
      `/api/cameras/${ids[1]}/recordings?from=${new Date(startedAt - 60_000).toISOString()}&to=${new Date().toISOString()}`,
      {
        token: supervisor,
      },
    );
    const [before, after] = two.body.ranges as [{ start: string; end: string }, { start: string; end: string }];
    const from = new Date(Date.parse(before.end) - 10_000);
    const to = new Date(Date.parse(after.start) + 10_000);
    const across = await hub.api('GET', `/api/cameras/${ids[1]}/clip?from=${from.toISOString()}&to=${to.toISOString()}`, {
      token: supervisor,
    });
    expect(across.status).toBe(200);
    const file = path.join(testTempDir('hub-clip-'), 'across.mp4');
    fs.writeFileSync(file, across.raw);
    expect(probe(file).codec).toBe('h264');
    expect(probe(file).duration).toBeGreaterThan(15);
  });

  it('refuses bad ranges with a clear error, and a range with nothing recorded with 404', async () => {
    const bad = await hub.api('GET', `/api/cameras/${ids[0]}/clip?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`, {
      token: supervisor,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('Đến: phải sau thời điểm bắt đầu');
    const none = await hub.api('GET', `/api/cameras/${ids[0]}/clip?from=2020-01-01T00:00:00Z&to=2020-01-01T00:00:30Z`, {
      token: supervisor,
    });
    expect(none.status).toBe(404);
    const delegate = await hub.api('GET', `/api/cameras/${ids[0]}/recordings?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z`, {
      token: await hub.login('xa-01'),
    });
    expect(delegate.status).toBe(403);
  });
});
