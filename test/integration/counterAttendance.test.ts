import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraSimulatorFarm, staffZone, type CameraScene } from '../../camera-gateway/simulator/index.js';
import type { CameraDto, CounterAttendanceRow } from '../../shared/cameras.js';
import { testTempDir } from '../support/tempDirs.js';
import { startTestHub, type TestHub } from './helpers.js';

const rtspBasePort = 19820;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Nothing at the desk this long makes the counter unattended (the product's default is 10 minutes). */
const unattendedAfterMs = 8000;
/** The metadata's precision at a scene change (a key frame, then one analysed picture a second): not a speed. */
const boundaryMs = 3500;
const provinceDate = (at: number) => new Date(at + 7 * 3_600_000).toISOString().slice(0, 10);

describe('counter attendance from the staff zone: the wall, and the report of a simulated office morning', () => {
  let hub: TestHub;
  let farm: CameraSimulatorFarm;
  let admin: string;
  let supervisor: string;
  let cameraId: number;
  const shown: Array<{ scene: CameraScene; at: number }> = [];

  const show = async (scene: CameraScene) => {
    shown.push({ scene, at: Date.now() });
    await farm.showScene(1, scene);
  };
  const camera = async () =>
    (await hub.api<CameraDto[]>('GET', '/api/cameras', { token: supervisor })).body.find((c) => c.id === cameraId)!;

  beforeAll(async () => {
    farm = await CameraSimulatorFarm.start({ cameras: 1, rtspBasePort, ptzCameras: [] });
    await farm.showScene(1, 'staff');
    hub = await startTestHub({
      cameraFeed: { backoffMs: { initial: 500, max: 2000 } },
      // the office open all day, every day: the morning is whenever the test runs
      recording: {
        directory: testTempDir('hub-counters-'),
        officeHours: { timeZone: 'Asia/Ho_Chi_Minh', workingDays: [1, 2, 3, 4, 5, 6, 7], periods: [['00:00', '24:00']], holidays: [] },
      },
      counterAttendance: { unattendedAfterMs, heartbeatMs: 1000 },
    });
    admin = await hub.login('admin');
    supervisor = await hub.login('giam-sat');
    const { body } = await hub.api<CameraDto>('POST', '/api/cameras', {
      token: admin,
      body: { name: 'Quầy 3', unitName: 'TTPVHCC', counter: 'Quầy 3', ...farm.registration(1) },
    });
    cameraId = body.id;
  }, 180_000);
  afterAll(async () => {
    await hub?.close();
    await farm?.close();
  });

  it('watches the desk the admin marks: unattended on the wall after the set time, attended again when someone is back', async () => {
    const bad = await hub.api<{ message: string }>('PUT', `/api/cameras/${cameraId}/staff-zone`, {
      token: admin,
      body: { zone: { x: 0.9, y: 0, width: 0.5, height: 0.5 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('vùng tìm phải là hình chữ nhật');
    expect((await hub.api('PUT', `/api/cameras/${cameraId}/staff-zone`, { token: supervisor, body: { zone: staffZone } })).status).toBe(
      403,
    );
    const set = await hub.api<{ staffZone: unknown }>('PUT', `/api/cameras/${cameraId}/staff-zone`, {
      token: admin,
      body: { zone: staffZone },
    });
    expect(set.status).toBe(200);
    expect((await camera()).staffZone).toEqual(staffZone);
    // watched though nobody looks at it and it is not recorded: its wall stream is pulled and analysed
    await expect.poll(() => hub.app.cameras.picturesAnalysed(cameraId), { timeout: 120_000, interval: 500 }).toBeGreaterThan(3);

    // the morning: someone at the desk, away for a while, back, away again (people wait in the hall meanwhile), back
    await sleep(4000);
    await show('emptyDesk');
    await expect.poll(async () => (await camera()).unattendedSince, { timeout: 60_000, interval: 250 }).not.toBeNull();
    await sleep(Math.max(0, shown.at(-1)!.at + 25_000 - Date.now()));
    await show('staff');
    await expect.poll(async () => (await camera()).unattendedSince, { timeout: 60_000, interval: 250 }).toBeNull();
    await sleep(8000);
    await show('elsewhere');
    await sleep(20_000);
    await show('staff');
    await sleep(6000);
  }, 240_000);

  it('reports the share attended, the longest absence and each absence with its recording; CSV too', async () => {
    const [away, back, elsewhere, backAgain] = shown.map((s) => s.at) as [number, number, number, number];
    const today = provinceDate(Date.now());
    const tomorrow = provinceDate(Date.now() + 86_400_000);
    const { status, body } = await hub.api<CounterAttendanceRow[]>('GET', `/api/reports/counters?from=${today}&to=${tomorrow}`, {
      token: supervisor,
    });
    expect(status).toBe(200);
    const row = body.find((r) => r.id === cameraId)!;
    expect(row.absences).toHaveLength(2);
    const [first, second] = row.absences.map((a) => ({ start: Date.parse(a.start), end: Date.parse(a.end) }));
    // each absence runs from the last motion at the desk to the first one back
    expect(Math.abs(first!.start - away)).toBeLessThan(boundaryMs);
    expect(Math.abs(first!.end - back)).toBeLessThan(boundaryMs);
    expect(Math.abs(second!.start - elsewhere)).toBeLessThan(boundaryMs);
    expect(Math.abs(second!.end - backAgain)).toBeLessThan(boundaryMs);
    const expectedLongest = Math.max(back - away, backAgain - elsewhere) / 60_000;
    expect(Math.abs(row.longestAbsenceMinutes - expectedLongest)).toBeLessThan(boundaryMs / 60_000 + 0.1);
    const expectedShare = 1 - (back - away + (backAgain - elsewhere)) / (row.observedMinutes * 60_000);
    expect(Math.abs(row.attendedShare! - expectedShare)).toBeLessThan(0.1);
    expect(row.attendedMinutes).toBeCloseTo(row.observedMinutes - row.absences.reduce((sum, a) => sum + a.minutes, 0), 0);
    expect(row.absences[0]!.recording).toBe(`/wall?camera=${cameraId}&at=${encodeURIComponent(row.absences[0]!.start)}`);

    const csv = await hub.api('GET', `/api/reports/counters?from=${today}&to=${tomorrow}&format=csv&table=absences`, { token: supervisor });
    expect(csv.status).toBe(200);
    const lines = csv.raw.toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`/wall?camera=${cameraId}&at=`);
    // a bridge point reads no counter report
    expect((await hub.api('GET', `/api/reports/counters?from=${today}&to=${tomorrow}`, { token: await hub.login('xa-01') })).status).toBe(
      403,
    );

    // the zone removed: the counter is no longer watched
    expect((await hub.api('PUT', `/api/cameras/${cameraId}/staff-zone`, { token: admin, body: { zone: null } })).status).toBe(200);
    expect((await camera()).staffZone).toBeNull();
  });
});
