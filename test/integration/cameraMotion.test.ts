import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraSimulatorFarm, staffZone, waitingZone, type CameraScene } from '../../camera-gateway/simulator/index.js';
import type { CameraDto, CameraUptimeRow, DeviceEventDto, MotionSearchDto, MotionRegion } from '../../shared/cameras.js';
import { testTempDir } from '../support/tempDirs.js';
import { startTestHub, type TestHub } from './helpers.js';

const rtspBasePort = 19800;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long each scene is shown: many analysed pictures (one a second) either side of each change. */
const sceneMs = 12_000;
/**
 * How far a found boundary may be from the moment the test changed the scene: the camera changes at its
 * next key frame (up to a second), the change shows in the next picture analysed (a second apart), and
 * the picture reaches the hub a moment later. This is the metadata's precision, not a speed.
 */
const boundaryMs = 3500;
/** Where nothing ever moves in the scenes: the wall above the desk, left of the notice board. */
const stillWall: MotionRegion = { x: 0, y: 0, width: 0.45, height: 0.25 };
const wholePicture: MotionRegion = { x: 0, y: 0, width: 1, height: 1 };

describe('counter cameras analysed from their wall stream: motion search, bookmarks, tamper', () => {
  let hub: TestHub;
  let farm: CameraSimulatorFarm;
  let admin: string;
  let supervisor: string;
  let cameraId: number;
  /** When each scene was asked for, in order. */
  const shown: Array<{ scene: CameraScene; at: number }> = [];

  const show = async (scene: CameraScene) => {
    shown.push({ scene, at: Date.now() });
    await farm.showScene(1, scene);
  };
  const search = async (region: MotionRegion, from: number, to: number, extra: Record<string, unknown> = {}) => {
    const { status, body } = await hub.api<MotionSearchDto>('POST', `/api/cameras/${cameraId}/motion-search`, {
      token: supervisor,
      body: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), region, ...extra },
    });
    expect(status).toBe(200);
    return body.intervals.map((i) => ({ start: Date.parse(i.start), end: Date.parse(i.end), peak: i.peak }));
  };
  const camera = async () =>
    (await hub.api<CameraDto[]>('GET', '/api/cameras', { token: supervisor })).body.find((c) => c.id === cameraId)!;
  const tamperGauge = async (kind: string) => {
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    return Number(new RegExp(`^hub_cameras_tampered\\{kind="${kind}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  };

  beforeAll(async () => {
    farm = await CameraSimulatorFarm.start({ cameras: 1, rtspBasePort, ptzCameras: [] });
    // the counter with nobody at it, from the camera's first picture
    await farm.showScene(1, 'emptyDesk');
    hub = await startTestHub({
      cameraFeed: { backoffMs: { initial: 500, max: 2000 } },
      recording: { directory: testTempDir('hub-motion-'), segmentSeconds: 10, sweepIntervalMs: 2000 },
      // written often, so the files (not only what waits in memory) are searched
      cameraMotion: { flushIntervalMs: 1000 },
    });
    admin = await hub.login('admin');
    supervisor = await hub.login('giam-sat');
    const { body } = await hub.api<CameraDto>('POST', '/api/cameras', {
      token: admin,
      body: { name: 'Quầy 1', unitName: 'TTPVHCC', counter: 'Quầy 1', ...farm.registration(1) },
    });
    cameraId = body.id;
    // recorded: its wall stream is pulled and analysed for the recording's motion metadata
    expect((await hub.api('PATCH', `/api/cameras/${cameraId}`, { token: admin, body: { recordMode: 'ALWAYS' } })).status).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await hub?.close();
    await farm?.close();
  });

  it('finds exactly the intervals with motion in the region searched: the desk, the waiting area, the still wall', async () => {
    await expect.poll(() => hub.app.cameras.picturesAnalysed(cameraId), { timeout: 120_000, interval: 500 }).toBeGreaterThan(3);
    for (const scene of ['staff', 'emptyDesk', 'elsewhere', 'emptyDesk'] as const) {
      await show(scene);
      await sleep(sceneMs);
    }
    const [staff, deskEmpty, elsewhere, end] = shown.map((s) => s.at) as [number, number, number, number];
    const from = staff - 6000;
    const to = Date.now();

    const atDesk = await search(staffZone, from, to);
    expect(atDesk).toHaveLength(1);
    expect(Math.abs(atDesk[0]!.start - staff)).toBeLessThan(boundaryMs);
    expect(Math.abs(atDesk[0]!.end - deskEmpty)).toBeLessThan(boundaryMs);

    const waiting = await search(waitingZone, from, to);
    expect(waiting).toHaveLength(1);
    expect(Math.abs(waiting[0]!.start - elsewhere)).toBeLessThan(boundaryMs);
    expect(Math.abs(waiting[0]!.end - end)).toBeLessThan(boundaryMs);

    expect(await search(stillWall, from, to)).toEqual([]);
    // the whole picture: both, in order
    const anywhere = await search(wholePicture, from, to);
    expect(anywhere.map((i) => Math.round((i.start - staff) / 1000))).toHaveLength(2);
    // a minimum area the moving shape never fills finds nothing; a time range before it moved neither
    expect(await search(staffZone, from, to, { minArea: 90 })).toEqual([]);
    expect(await search(staffZone, from, staff - 2000)).toEqual([]);
  }, 180_000);

  it('keeps a found interval as a bookmark with a note, removable only by its author or an admin', async () => {
    const [interval] = await search(staffZone, shown[0]!.at - 6000, Date.now());
    const range = { from: new Date(interval!.start).toISOString(), to: new Date(interval!.end).toISOString() };
    const made = await hub.api<{ id: number; note: string; createdBy: string }>('POST', `/api/cameras/${cameraId}/bookmarks`, {
      token: supervisor,
      body: { ...range, note: 'Cán bộ rời quầy' },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ note: 'Cán bộ rời quầy', createdBy: 'giam-sat' });
    const listed = await hub.api<Array<{ id: number }>>(
      'GET',
      `/api/cameras/${cameraId}/bookmarks?from=${new Date(interval!.start - 60_000).toISOString()}&to=${new Date().toISOString()}`,
      { token: supervisor },
    );
    expect(listed.body.map((b) => b.id)).toEqual([made.body.id]);
    const other = await hub.login('giam-sat-vp');
    const refused = await hub.api<{ message: string }>('DELETE', `/api/cameras/${cameraId}/bookmarks/${made.body.id}`, { token: other });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('Chỉ người tạo (giam-sat)');
    expect((await hub.api('DELETE', `/api/cameras/${cameraId}/bookmarks/${made.body.id}`, { token: supervisor })).status).toBe(204);

    const bad = await hub.api<{ message: string }>('POST', `/api/cameras/${cameraId}/motion-search`, {
      token: supervisor,
      body: { ...range, region: { x: 0.8, y: 0, width: 0.5, height: 1 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('vùng tìm phải là hình chữ nhật nằm trong khung hình');
  });

  it('follows the camera’s own ONVIF events (PullPoint): its motion and tamper spans, beside the hub’s motion', async () => {
    await expect.poll(() => farm.onvif.subscriptions.get('cam1') ?? 0, { timeout: 60_000, interval: 250 }).toBeGreaterThan(0);
    const before = Date.now() - 1000;
    const spans = async () =>
      (
        await hub.api<DeviceEventDto[]>(
          'GET',
          `/api/cameras/${cameraId}/device-events?from=${new Date(before).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`,
          { token: supervisor },
        )
      ).body;
    farm.raiseEvent(1, 'motion', true);
    await expect
      .poll(async () => (await spans()).map((s) => [s.kind, s.end === null]), { timeout: 60_000, interval: 250 })
      .toEqual([['MOTION', true]]);
    farm.raiseEvent(1, 'motion', false);
    farm.raiseEvent(1, 'tamper', true);
    await expect
      .poll(async () => (await spans()).map((s) => [s.kind, s.end === null]), { timeout: 60_000, interval: 250 })
      .toEqual([
        ['MOTION', false],
        ['TAMPER', true],
      ]);
    farm.raiseEvent(1, 'tamper', false);
    await expect.poll(async () => (await spans()).every((s) => s.end !== null), { timeout: 60_000, interval: 250 }).toBe(true);
    const [motion] = await spans();
    expect(Date.parse(motion!.start)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(motion!.end!)).toBeGreaterThanOrEqual(Date.parse(motion!.start));
  });

  it('says a covered camera is covered and a turned one turned, on its tile, in /metrics and in its report, until it looks right', async () => {
    const since = new Date(Date.now() - 60_000);
    await show('covered');
    await expect.poll(async () => (await camera()).tamper, { timeout: 60_000, interval: 500 }).toBe('COVERED');
    expect(await tamperGauge('COVERED')).toBe(1);
    await show('emptyDesk');
    await expect.poll(async () => (await camera()).tamper, { timeout: 60_000, interval: 500 }).toBeNull();
    expect(await tamperGauge('COVERED')).toBe(0);

    await show('turned');
    await expect.poll(async () => (await camera()).tamper, { timeout: 60_000, interval: 500 }).toBe('MOVED');
    expect(await tamperGauge('MOVED')).toBe(1);
    // re-aimed on purpose: the admin takes the new view as the usual one
    expect((await hub.api('POST', `/api/cameras/${cameraId}/view/relearn`, { token: admin })).status).toBe(204);
    await expect.poll(async () => (await camera()).tamper, { timeout: 60_000, interval: 500 }).toBeNull();

    const day = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000);
    const { body } = await hub.api<CameraUptimeRow[]>('GET', `/api/reports/cameras?from=${day(since)}&to=${day(tomorrow)}`, {
      token: supervisor,
    });
    expect(body.find((row) => row.id === cameraId)?.tamperEvents).toBe(2);
  }, 180_000);
});
