import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CameraSimulatorFarm } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import type { CameraDto } from '../../shared/cameras.js';
import { RecordingHubProcess } from '../cameras/recordingHubProcess.js';
import { testTempDir } from '../support/tempDirs.js';

const rtspBasePort = 19300;
type Ranges = { ranges: Array<{ start: string; end: string }> };

function probeSeconds(file: string): number {
  return Number(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim(),
  );
}

describe('recording across a hub killed mid-segment', () => {
  let farm: CameraSimulatorFarm | undefined;
  let hub: RecordingHubProcess | undefined;
  afterAll(async () => {
    await hub?.kill();
    await farm?.close();
  });

  it('keeps the segments written before SIGKILL, indexes the cut one, and the new pull resumes recording', async () => {
    farm = await CameraSimulatorFarm.start({ cameras: 1, rtspBasePort, ptzCameras: [] });
    const dir = testTempDir('hub-restart-');
    const database = path.join(dir, 'hub.db');
    const recordings = path.join(dir, 'recordings');
    const key = randomBytes(32).toString('hex');

    const first = await RecordingHubProcess.start(database, recordings, key);
    hub = first;
    const admin = await first.login('admin');
    const camera = await first.call<CameraDto>('POST', '/api/cameras', admin, {
      name: 'Quầy 1',
      unitName: 'TTPVHCC',
      counter: 'Quầy 1',
      ...farm.registration(1),
    });
    await first.call('PATCH', `/api/cameras/${camera.id}`, admin, { recordMode: 'ALWAYS' });
    const cameraDir = path.join(recordings, String(camera.id));
    const files = () =>
      fs.existsSync(cameraDir)
        ? fs
            .readdirSync(cameraDir)
            .filter((f) => f.endsWith('.ts'))
            .sort()
        : [];
    // two whole segments and part of the third, which holds a second of frames when the hub dies
    await expect
      .poll(
        () => {
          const third = files()[2];
          return third !== undefined && probeSeconds(path.join(cameraDir, third)) > 1;
        },
        { timeout: 90_000, interval: 500 },
      )
      .toBe(true);
    const killedAt = Date.now();
    await first.kill();
    const before = files();
    expect(before.length).toBeGreaterThanOrEqual(3);
    // every file, the one cut mid-write too, is readable to its last packet
    for (const file of before) expect(probeSeconds(path.join(cameraDir, file))).toBeGreaterThan(1);
    const cut = before.at(-1)!;
    const cutSeconds = probeSeconds(path.join(cameraDir, cut));

    // the hub comes back after office hours: this camera is not recorded now (as if OFFICE_HOURS had ended),
    // yet what was written before the kill is indexed at start-up, the cut segment up to its last packet
    const db = new Database(database);
    db.prepare(`UPDATE "Camera" SET "recordMode" = 'OFF' WHERE "id" = ?`).run(camera.id);
    db.close();
    const second = await RecordingHubProcess.start(database, recordings, key);
    hub = second;
    const supervisor = await second.login('giam-sat');
    const window = () => `from=${new Date(killedAt - 60_000).toISOString()}&to=${new Date().toISOString()}`;
    const indexed = await second.call<Ranges>('GET', `/api/cameras/${camera.id}/recordings?${window()}`, supervisor);
    expect(indexed.ranges).toHaveLength(1);
    const reader = new Database(database, { readonly: true });
    const row = reader.prepare(`SELECT "startedAt", "endedAt" FROM "RecordingSegment" WHERE "file" = ?`).get(`${camera.id}/${cut}`) as {
      startedAt: number | string;
      endedAt: number | string;
    };
    reader.close();
    const [startedAt, endedAt] = [new Date(row.startedAt).getTime(), new Date(row.endedAt).getTime()];
    // the cut segment's indexed length is what the file holds, and the recorded time ends with it
    expect((endedAt - startedAt) / 1000).toBeCloseTo(cutSeconds, 2);
    expect(Date.parse(indexed.ranges[0]!.end)).toBe(endedAt);

    // recording again: a new pull resumes, the restart's time a gap between the two ranges
    await second.call('PATCH', `/api/cameras/${camera.id}`, await second.login('admin'), { recordMode: 'ALWAYS' });
    const recordedAgain = async () =>
      (await second.call<Ranges>('GET', `/api/cameras/${camera.id}/recordings?${window()}`, supervisor)).ranges;
    await expect
      .poll(
        async () => {
          const ranges = await recordedAgain();
          return ranges.length === 2 && Date.parse(ranges[1]!.end) - Date.parse(ranges[1]!.start) > 5000 && files().length > before.length;
        },
        { timeout: 90_000, interval: 1000 },
      )
      .toBe(true);
    const ranges = await recordedAgain();
    expect(files().slice(0, before.length)).toEqual(before);
    expect(ranges[0]).toEqual(indexed.ranges[0]);
    expect(Date.parse(ranges[1]!.start)).toBeGreaterThan(killedAt);
    await second.kill();
  });
});
