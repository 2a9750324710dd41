import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CameraSimulatorFarm } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import type { CameraDto, RecordingStorageDto } from '../../shared/cameras.js';
import { testTempDir } from '../support/tempDirs.js';
import { nextEvent, request, startTestHub, type TestHub } from './helpers.js';

const rtspBasePort = 19200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for `check` to hold, with a generous deadline (a busy machine only makes it wait longer). */
async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(250);
  }
}

describe('recording retention, evidence locks and a full disk', () => {
  let farm: CameraSimulatorFarm | undefined;
  let hub: TestHub | undefined;
  const mounts: string[] = [];

  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });
  afterAll(async () => {
    await farm?.close();
    for (const dir of mounts) execFileSync('umount', [dir]);
  });

  const recordCamera1 = async (recording: NonNullable<Parameters<typeof startTestHub>[0]>['recording']) => {
    farm ??= await CameraSimulatorFarm.start({ cameras: 1, rtspBasePort, ptzCameras: [] });
    hub = await startTestHub({ cameraFeed: { backoffMs: { initial: 500, max: 2000 } }, recording });
    const admin = await hub.login('admin');
    const { body: camera } = await hub.api<CameraDto>('POST', '/api/cameras', {
      token: admin,
      body: {
        name: 'Quầy 1',
        unitName: 'TTPVHCC',
        counter: 'Quầy 1',
        ...farm.registration(1),
      },
    });
    await hub.api('PATCH', `/api/cameras/${camera.id}`, { token: admin, body: { recordMode: 'ALWAYS' } });
    return { hub, cameraId: camera.id, supervisor: await hub.login('giam-sat') };
  };

  it('deletes the oldest unlocked segments when the quota is hit, keeps a locked one until it is released', async () => {
    const directory = testTempDir('hub-recordings-');
    // about 300 kB per 3 s segment of the 800 kbit/s main stream: room for three
    const { hub, cameraId, supervisor } = await recordCamera1({
      directory,
      segmentSeconds: 3,
      sweepIntervalMs: 1000,
      quotaBytes: 1_050_000,
    });
    const segments = () => hub.database.prisma.recordingSegment.findMany({ where: { cameraId }, orderBy: { startedAt: 'asc' } });
    const first = await until('a first segment', async () => (await segments())[0]);

    const lock = await hub.api('POST', `/api/cameras/${cameraId}/locks`, {
      token: supervisor,
      body: {
        from: new Date(first.startedAt.getTime() + 1000).toISOString(),
        to: new Date(first.startedAt.getTime() + 2000).toISOString(),
        reason: 'Khiếu nại của công dân ngày 01/12',
      },
    });
    expect(lock.status).toBe(201);
    expect(lock.body).toMatchObject({ lockedBy: 'giam-sat', releasedAt: null });

    // the quota is hit: the second segment goes, the locked first one stays
    const second = await until('a second segment', async () => (await segments())[1]);
    await until('the second segment deleted by the quota', async () => !(await segments()).some((s) => s.id === second.id));
    expect(fs.existsSync(path.join(directory, first.file))).toBe(true);
    expect(fs.existsSync(path.join(directory, second.file))).toBe(false);
    const window = `from=${new Date(first.startedAt.getTime() - 1000).toISOString()}&to=${new Date().toISOString()}`;
    const { body } = await hub.api<{ ranges: unknown[] }>('GET', `/api/cameras/${cameraId}/recordings?${window}`, { token: supervisor });
    expect(body.ranges.length).toBeGreaterThanOrEqual(2);
    const storage = await hub.api<RecordingStorageDto>('GET', '/api/recordings/storage', { token: supervisor });
    expect(storage.body.usedBytes).toBeLessThanOrEqual(1_050_000 + 450_000); // what is indexed plus the segment being written
    expect(storage.body.diskFull).toBe(false);

    // another supervisor may not release it, nor anyone without a reason
    const releaseUrl = `/api/cameras/${cameraId}/locks/${lock.body.id}/release`;
    const other = await hub.api<{ message: string }>('POST', releaseUrl, {
      token: await hub.login('giam-sat-vp'),
      body: { reason: 'Không cần nữa' },
    });
    expect({ status: other.status, message: other.body.message }).toEqual({
      status: 403,
      message: 'Chỉ người đã khoá (giam-sat) hoặc quản trị viên mới được mở khoá bằng chứng này.',
    });
    expect((await hub.api('POST', releaseUrl, { token: supervisor, body: {} })).status).toBe(400);
    expect((await hub.api('POST', releaseUrl, { token: supervisor })).status).toBe(400);
    expect(fs.existsSync(path.join(directory, first.file))).toBe(true);
    // released by its owner, saying why: it falls under the quota like any other
    const released = await hub.api('POST', releaseUrl, { token: supervisor, body: { reason: 'Đã giải quyết xong khiếu nại' } });
    expect(released.body).toMatchObject({ releasedBy: 'giam-sat', releaseReason: 'Đã giải quyết xong khiếu nại' });
    await until('the released segment deleted', async () => !fs.existsSync(path.join(directory, first.file)));
    const audit = await hub.api('GET', `/api/audit?target=camera:${cameraId}`, { token: await hub.login('admin') });
    expect(audit.body.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['camera.evidence.lock', 'camera.evidence.release']),
    );
    // a camera with locked evidence cannot be removed; its lock released, it can
    const again = await hub.api('POST', `/api/cameras/${cameraId}/locks`, {
      token: supervisor,
      body: { from: new Date(Date.now() - 5000).toISOString(), to: new Date().toISOString(), reason: 'Giữ lại để xác minh' },
    });
    const admin = await hub.login('admin');
    expect((await hub.api('DELETE', `/api/cameras/${cameraId}`, { token: admin })).status).toBe(409);
    // an admin may release anyone's
    const byAdmin = await hub.api('POST', `/api/cameras/${cameraId}/locks/${again.body.id}/release`, {
      token: admin,
      body: { reason: 'Gỡ camera theo quyết định sáp nhập' },
    });
    expect(byAdmin.body).toMatchObject({ releasedBy: 'admin' });
    expect((await hub.api('DELETE', `/api/cameras/${cameraId}`, { token: admin })).status).toBe(204);
  });

  it('deletes unlocked segments older than the retention days, keeps younger ones', async () => {
    const directory = testTempDir('hub-recordings-');
    const { hub, cameraId } = await recordCamera1({ directory, segmentSeconds: 3, sweepIntervalMs: 1000, retentionDays: 30 });
    const first = await until(
      'a first segment',
      async () => (await hub.database.prisma.recordingSegment.findMany({ where: { cameraId } }))[0],
    );
    // two segments put back from a backup: one from 40 days ago, one from 20
    const copies = [40, 20].map((days) => {
      const at = new Date(Date.now() - days * 86_400_000);
      const file = `${cameraId}/${Math.floor(at.getTime() / 1000)}.ts`;
      fs.copyFileSync(path.join(directory, first.file), path.join(directory, file));
      return { file, at };
    });
    for (const { file, at } of copies) {
      await hub.database.prisma.recordingSegment.create({
        data: { cameraId, file, startedAt: at, endedAt: new Date(at.getTime() + 3000), bytes: first.bytes },
      });
    }
    await until('the 40-day-old segment deleted', async () => !fs.existsSync(path.join(directory, copies[0]!.file)));
    // two more whole passes of retention, both begun after the 20-day-old segment was put back
    for (let pass = 0; pass < 2; pass++) await hub.app.cameras.setRecordMode(cameraId, 'ALWAYS');
    expect(fs.existsSync(path.join(directory, copies[1]!.file))).toBe(true);
  });

  it('a full disk pauses recording and raises the alert on the wall; live viewing goes on', async () => {
    const directory = testTempDir('hub-recordings-');
    // a 1.2 MB disk that must keep 450 kB free: full after a couple of 3 s segments
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1200k', 'tmpfs', directory]);
    mounts.push(directory);
    const { hub, cameraId } = await recordCamera1({ directory, segmentSeconds: 3, sweepIntervalMs: 1000, minFreeBytes: 450_000 });
    const station = await hub.connect('giam-sat');
    const joined = await request(station, 'wall:join', {});
    expect(joined.data.storage).toMatchObject({ diskFull: false });
    const alert = nextEvent(station, 'camera:storage', (s) => s.diskFull, 90_000);
    const paused = nextEvent(station, 'camera:status', (c) => c.id === cameraId && !c.recording, 90_000);
    await alert;
    await paused;
    expect((await hub.api<CameraDto[]>('GET', '/api/cameras', { token: await hub.login('giam-sat') })).body[0]).toMatchObject({
      recordMode: 'ALWAYS',
      recording: false,
    });
    // live: the main stream is still offered and the camera online
    await request(station, 'wall:setRtpCapabilities', { rtpCapabilities: joined.data.routerRtpCapabilities });
    await request(station, 'wall:createTransport', {});
    const watched = await until(
      'the main stream offered',
      async () => (await request(station, 'wall:watch', { cameraId, profile: 'main' })).data?.consumer,
      20_000,
    );
    expect(watched.rtpParameters.codecs[0].mimeType).toBe('video/H264');
    expect(hub.app.cameras.get(cameraId).status).toBe('ONLINE');
    // room again (an operator moved files away): recording resumes by itself, the alert clears
    const cleared = nextEvent(station, 'camera:storage', (s) => !s.diskFull);
    for (const file of fs.readdirSync(path.join(directory, String(cameraId))))
      fs.rmSync(path.join(directory, String(cameraId), file), { recursive: true });
    await cleared;
    await until('recording again', async () => hub.app.cameras.get(cameraId).recording);
  });
});
