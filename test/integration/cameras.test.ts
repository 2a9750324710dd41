import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraSimulatorFarm, ensureClips } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import { OnvifSimulator } from '../../camera-gateway/simulator/OnvifSimulator.js';
import type { CameraDto } from '../../shared/cameras.js';
import { commandLinesHolding } from '../support/commandLines.js';
import { nextEvent, request, startTestHub, type TestHub, type TestSocket } from './helpers.js';

const rtspBasePort = 18500;

describe('camera gateway: ONVIF registry, PTZ, snapshots and the media path', () => {
  let hub: TestHub;
  let farm: CameraSimulatorFarm;
  let admin: string;
  let station: TestSocket;
  const cameraIds: number[] = [];

  beforeAll(async () => {
    farm = await CameraSimulatorFarm.start({ cameras: 3, rtspBasePort, h265Cameras: [3], ptzCameras: [1] });
    hub = await startTestHub({
      cameraFeed: { offlineAfterMs: 2000, debounceMs: 1000, backoffMs: { initial: 500, max: 2000 }, lingerMs: 1000 },
    });
    admin = await hub.login('admin');
    station = await hub.connect('giam-sat');
  });
  afterAll(async () => {
    await hub?.close();
    await farm?.close();
  });

  const add = (n: number, overrides: Record<string, unknown> = {}) =>
    hub.api<CameraDto>('POST', '/api/cameras', {
      token: admin,
      body: {
        name: `Quầy ${n}`,
        unitName: 'Trung tâm Phục vụ hành chính công tỉnh',
        counter: `Quầy ${n}`,
        onvifAddress: farm.xaddr(n),
        username: 'onvif',
        password: `cam-${n}-secret`,
        ...overrides,
      },
    });

  it('registers cameras from their ONVIF address: device info, profiles, RTSP and snapshot URIs; the password encrypted at rest', async () => {
    // a station already open is told of each new counter at once (no reload)
    const open = await hub.connect('giam-sat');
    await request(open, 'wall:join', {});
    const announced: number[] = [];
    open.on('camera:status', (camera) => announced.push(camera.id));
    for (const n of [1, 2, 3]) {
      const { status, body } = await add(n);
      expect(status).toBe(201);
      cameraIds.push(body.id);
    }
    await expect.poll(() => announced).toEqual(expect.arrayContaining(cameraIds));
    open.close();
    const listed = (await hub.api<CameraDto[]>('GET', '/api/cameras', { token: await hub.login('giam-sat') })).body;
    expect(listed.map((c) => [c.name, c.encoding, c.ptz, c.status])).toEqual([
      ['Quầy 1', 'H264', true, 'UNKNOWN'],
      ['Quầy 2', 'H264', false, 'UNKNOWN'],
      ['Quầy 3', 'H265', false, 'UNKNOWN'],
    ]);
    const row = await hub.database.prisma.camera.findUniqueOrThrow({ where: { id: cameraIds[0] } });
    expect(row).toMatchObject({
      mainProfileToken: 'main',
      subProfileToken: 'sub',
      mainStreamUri: farm.cameras[0]!.streams.main,
      subStreamUri: farm.cameras[0]!.streams.sub,
    });
    expect(row.snapshotUri).toMatch(/\/onvif\/cam1\/snapshot\.jpg$/);
    expect(row.passwordCipher).not.toContain('cam-1-secret');
    const file = hub.databaseConfig.url;
    expect(fs.readFileSync(file).includes('cam-1-secret')).toBe(false);
    // the admin page's view of a camera: its profiles as it describes them now, and the wall's use of each
    const profiles = await hub.api('GET', `/api/cameras/${cameraIds[0]}/profiles`, { token: admin });
    expect(profiles.body).toEqual([
      { token: 'main', name: 'MainStream', encoding: 'H264', width: 1280, height: 720, use: 'main' },
      { token: 'sub', name: 'SubStream', encoding: 'H264', width: 640, height: 360, use: 'sub' },
    ]);
    const audit = await hub.api('GET', `/api/audit?target=camera:${cameraIds[0]}`, { token: admin });
    expect(audit.body).toMatchObject([
      { actor: 'admin', action: 'camera.create', detail: { onvifAddress: farm.xaddr(1), username: 'onvif' } },
    ]);
    expect(audit.raw.toString()).not.toContain('cam-1-secret');
  });

  it('refuses wrong credentials, duplicates, bad bodies, and callers who are not admins', async () => {
    const duplicate = await add(2, { name: 'Trùng' });
    expect(duplicate.status).toBe(409);
    expect((await hub.api('DELETE', `/api/cameras/${cameraIds[1]}`, { token: admin })).status).toBe(204);
    expect((await hub.api('GET', `/api/audit?target=camera:${cameraIds[1]}`, { token: admin })).body[0]).toMatchObject({
      action: 'camera.delete',
    });
    const refused = await add(2, { password: 'sai' });
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({
      messageKey: 'camera.refusedCredentials',
      message: `Camera ${farm.xaddr(2)} từ chối tên đăng nhập hoặc mật khẩu này: kiểm tra lại tài khoản của camera.`,
    });
    expect((await add(2)).status).toBe(201);
    cameraIds[1] = (await hub.api<CameraDto[]>('GET', '/api/cameras', { token: admin })).body.find((c) => c.name === 'Quầy 2')!.id;
    expect((await add(4, { onvifAddress: 'ftp://camera' })).body).toMatchObject({
      message: 'Địa chỉ ONVIF: địa chỉ ONVIF dạng http://10.0.0.5/onvif/device_service',
    });
    expect((await hub.api('POST', '/api/cameras', { token: await hub.login('giam-sat'), body: {} })).status).toBe(403);
    expect((await hub.api('GET', '/api/cameras', { token: await hub.login('thu-ky') })).status).toBe(403);
  });

  it('takes a camera account in Vietnamese: ONVIF carries it as UTF-8, a snapshot by basic auth too; digest cannot, and says so', async () => {
    const account = { username: 'quản-trị', password: 'mật-khẩu-Quầy-1' };
    const streams = farm.cameras[0]!.streams;
    const cameras = (['basic', 'digest'] as const).map((snapshotAuth) => ({
      id: `vn-${snapshotAuth}`,
      name: `Quầy tiếng Việt (${snapshotAuth})`,
      location: 'Bộ phận một cửa',
      ...account,
      streams,
      encoding: 'H264' as const,
      ptz: false,
      presets: [],
      snapshotAuth,
    }));
    const devices = new OnvifSimulator(cameras, { snapshot: fs.readFileSync((await ensureClips()).snapshot) });
    await devices.start();
    try {
      const register = (id: string, password = account.password) =>
        hub.api<CameraDto>('POST', '/api/cameras', {
          token: admin,
          body: { name: id, unitName: 'Trung tâm', counter: id, onvifAddress: devices.xaddr(id), username: account.username, password },
        });
      expect((await register('vn-basic', 'mật-khẩu-sai')).body).toMatchObject({ messageKey: 'camera.refusedCredentials' });
      const [basic, digest] = [await register('vn-basic'), await register('vn-digest')];
      expect([basic.status, digest.status]).toEqual([201, 201]);
      const supervisor = await hub.login('giam-sat');
      const snapshot = await hub.api('GET', `/api/cameras/${basic.body.id}/snapshot`, { token: supervisor });
      expect(snapshot.status).toBe(200);
      expect(snapshot.raw.equals(fs.readFileSync((await ensureClips()).snapshot))).toBe(true);
      const refused = await hub.api('GET', `/api/cameras/${digest.body.id}/snapshot`, { token: supervisor });
      expect(refused.status).toBe(502);
      expect(refused.body).toMatchObject({
        message:
          'Không chụp được ảnh từ camera: khi chụp ảnh (xác thực HTTP digest), camera chỉ nhận tên đăng nhập không dấu: hãy đặt trên camera một tài khoản không dấu.',
      });
      for (const camera of [basic.body, digest.body])
        expect((await hub.api('DELETE', `/api/cameras/${camera.id}`, { token: admin })).status).toBe(204);
    } finally {
      await devices.stop();
    }
  });

  it('fetches a snapshot with the stored credentials', async () => {
    const { status, headers, raw } = await hub.api('GET', `/api/cameras/${cameraIds[0]}/snapshot`, { token: await hub.login('giam-sat') });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('image/jpeg');
    expect(raw.equals(fs.readFileSync((await ensureClips()).snapshot))).toBe(true);
    expect((await hub.api('GET', '/api/cameras/999/snapshot', { token: admin })).status).toBe(404);
  });

  it('sends PTZ moves, stops and presets to the camera, for supervisors only', async () => {
    expect(await request(station, 'camera:ptz', { cameraId: cameraIds[0], x: 0.5, y: -0.25, z: 0 })).toEqual({ ok: true, data: null });
    expect(await request(station, 'camera:ptzStop', { cameraId: cameraIds[0] })).toEqual({ ok: true, data: null });
    const presets = await hub.api('GET', `/api/cameras/${cameraIds[0]}/presets`, { token: await hub.login('giam-sat') });
    expect(presets.body).toEqual([
      { token: 'p1', name: 'Quầy giao dịch' },
      { token: 'p2', name: 'Khu chờ' },
    ]);
    expect(await request(station, 'camera:gotoPreset', { cameraId: cameraIds[0], presetToken: 'p2' })).toEqual({ ok: true, data: null });
    expect(farm.onvif.ptzCalls.map((c) => [c.cameraId, c.command, c.detail])).toEqual([
      ['cam1', 'ContinuousMove', { x: '0.5', y: '-0.25' }],
      ['cam1', 'Stop', {}],
      ['cam1', 'GotoPreset', { preset: 'p2' }],
    ]);
    expect(await request(station, 'camera:ptz', { cameraId: cameraIds[1], x: 0.5, y: 0, z: 0 })).toMatchObject({
      ok: false,
      error: { code: 'CAMERA_UNREACHABLE' },
    });
    expect(await request(station, 'camera:ptz', { cameraId: cameraIds[0], x: 2, y: 0, z: 0 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD', message: /x/ },
    });
    const adminSocket = await hub.connect('admin');
    expect(await request(adminSocket, 'camera:ptz', { cameraId: cameraIds[0], x: 0.1, y: 0, z: 0 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const site = await hub.connect('so-nv');
    expect(await request(site, 'wall:join', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('pulls a watched stream into the SFU, reports it online, H.265 as unsupported, and offline/online as the camera goes and comes back', async () => {
    const joined = await request(station, 'wall:join', {});
    expect(joined.data.cameras).toHaveLength(3);
    expect(await request(station, 'wall:setRtpCapabilities', { rtpCapabilities: joined.data.routerRtpCapabilities })).toEqual({
      ok: true,
      data: null,
    });
    expect((await request(station, 'wall:createTransport', {})).ok).toBe(true);

    const online = nextEvent(station, 'camera:status', (c) => c.id === cameraIds[0] && c.status === 'ONLINE');
    const available = nextEvent(station, 'camera:available', (a) => a.cameraId === cameraIds[0]);
    const unsupported = nextEvent(station, 'camera:status', (c) => c.id === cameraIds[2] && c.status === 'UNSUPPORTED');
    expect(await request(station, 'wall:watch', { cameraId: cameraIds[0], profile: 'sub' })).toEqual({
      ok: true,
      data: { consumer: null },
    });
    expect(await request(station, 'wall:watch', { cameraId: cameraIds[2], profile: 'sub' })).toEqual({
      ok: true,
      data: { consumer: null },
    });
    await available;
    const watched = await request(station, 'wall:watch', { cameraId: cameraIds[0], profile: 'sub' });
    expect(watched.data.consumer.rtpParameters.codecs[0].mimeType).toBe('video/H264');
    expect(await request(station, 'wall:resume', { consumerId: watched.data.consumer.consumerId })).toEqual({ ok: true, data: null });
    expect((await online).lastSeenAt).not.toBeNull();
    expect((await unsupported).encoding).toBe('H265');
    // the pull runs with the camera's password, on no command line (world-readable in /proc)
    expect(commandLinesHolding('cam-1-secret')).toEqual([]);

    // A second station shares the same pull.
    const second = await hub.connect('giam-sat');
    const secondJoin = await request(second, 'wall:join', {});
    await request(second, 'wall:setRtpCapabilities', { rtpCapabilities: secondJoin.data.routerRtpCapabilities });
    await request(second, 'wall:createTransport', {});
    const shared = await request(second, 'wall:watch', { cameraId: cameraIds[0], profile: 'sub' });
    expect(shared.data.consumer.producerId).toBe(watched.data.consumer.producerId);
    // asking again for the same stream replaces the station's consumer: one per stream however often it asks
    const videoConsumers = async () =>
      [...(await (await fetch(`${hub.url}/metrics`)).text()).matchAll(/^hub_consumers\{worker="\d+",kind="video"\} (\d+)$/gm)]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
    const held = await videoConsumers();
    // the two stations' consumers of camera 1's sub stream at least
    expect(held).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 30; i++) await request(second, 'wall:watch', { cameraId: cameraIds[0], profile: 'sub' });
    expect(await videoConsumers()).toBe(held);

    const offline = nextEvent(station, 'camera:status', (c) => c.id === cameraIds[0] && c.status === 'OFFLINE');
    await farm.stopCamera(1);
    await offline;
    const back = nextEvent(station, 'camera:status', (c) => c.id === cameraIds[0] && c.status === 'ONLINE');
    await farm.startCamera(1);
    await back;

    // Packets keep coming but the timestamps stand still: not online, whatever the byte counter says.
    const stalled = nextEvent(station, 'camera:status', (c) => c.id === cameraIds[0] && c.status === 'STALLED');
    farm.freezeCamera(1, true);
    await stalled;
    const thawed = nextEvent(station, 'camera:status', (c) => c.id === cameraIds[0] && c.status === 'ONLINE');
    farm.freezeCamera(1, false);
    await thawed;

    // A camera slow to answer (each RTSP reply 1.5 s late: first frames ~6 s into the pull, past
    // offlineAfterMs) is waited for, not replaced over and over: back after a single session of each of its
    // pulls (the wall's sub stream, and the main stream its viewer keeps warm; either one brings it ONLINE first).
    const downAgain = nextEvent(station, 'camera:status', (c) => c.id === cameraIds[0] && c.status === 'OFFLINE');
    await farm.stopCamera(1);
    await downAgain;
    farm.delayCameraAnswers(1, 1500);
    const [subBefore, mainBefore] = [farm.sessionsPlayed(1, 'sub'), farm.sessionsPlayed(1, 'main')];
    const slowBack = nextEvent(station, 'camera:status', (c) => c.id === cameraIds[0] && c.status === 'ONLINE');
    await farm.startCamera(1);
    await slowBack;
    // a pull replaced before it played would play nothing: each is waited for until it plays
    await expect.poll(() => farm.sessionsPlayed(1, 'sub') - subBefore).toBeGreaterThanOrEqual(1);
    await expect.poll(() => farm.sessionsPlayed(1, 'main') - mainBefore).toBeGreaterThanOrEqual(1);
    expect([farm.sessionsPlayed(1, 'sub') - subBefore, farm.sessionsPlayed(1, 'main') - mainBefore]).toEqual([1, 1]);
    farm.delayCameraAnswers(1, 0);

    const events = await hub.database.prisma.cameraEvent.findMany({ where: { cameraId: cameraIds[0] }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.status)).toEqual(['ONLINE', 'OFFLINE', 'ONLINE', 'STALLED', 'ONLINE', 'OFFLINE', 'ONLINE']);
    expect(events[3]!.detail).toMatch(/picture frozen/);

    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const uptime = await hub.api('GET', `/api/reports/cameras?from=${today}&to=${tomorrow}`, { token: await hub.login('giam-sat') });
    const first = (uptime.body as Array<{ id: number; uptime: number; offlineEvents: number }>).find((r) => r.id === cameraIds[0])!;
    expect(first.offlineEvents).toBe(3);
    expect(first.uptime).toBeGreaterThan(0);
    expect(first.uptime).toBeLessThan(1);
    expect((uptime.body as Array<{ id: number; uptime: number | null }>).find((r) => r.id === cameraIds[1])!.uptime).toBeNull();
  });

  it('says "no permission" when the camera refuses the stream credentials, and plays again once they match', async () => {
    const online = nextEvent(station, 'camera:status', (c) => c.id === cameraIds[1] && c.status === 'ONLINE');
    await request(station, 'wall:watch', { cameraId: cameraIds[1], profile: 'sub' });
    await online;
    // a technician sets a new password on the camera; its next session (after a power cut) refuses the registry's
    farm.changePassword(2, 'changed-on-the-device');
    const refused = nextEvent(station, 'camera:status', (c) => c.id === cameraIds[1] && c.status === 'UNAUTHORIZED');
    await farm.stopCamera(2);
    await farm.startCamera(2);
    await refused;
    const event = await hub.database.prisma.cameraEvent.findFirst({ where: { cameraId: cameraIds[1], status: 'UNAUTHORIZED' } });
    expect(event?.detail).toMatch(/refused the stream credentials/);
    // the password set back on the device: the slow retries find it, the tile plays again
    const back = nextEvent(station, 'camera:status', (c) => c.id === cameraIds[1] && c.status === 'ONLINE');
    farm.changePassword(2, 'cam-2-secret');
    await back;
  });
});

describe('ONVIF discovery (WS-Discovery, inside a network namespace)', () => {
  it('finds the simulated devices and marks the registered one', async () => {
    const clips = await ensureClips();
    const script = path.resolve('test/cameras/discoverInNamespace.ts');
    const command = `ip link set lo up && ip link set lo multicast on && ip route add 239.0.0.0/8 dev lo && exec npx tsx ${script} ${clips.snapshot}`;
    const output = execFileSync('unshare', ['-n', 'sh', '-c', command], { encoding: 'utf8', timeout: 60_000, env: process.env });
    const result = JSON.parse(output.trim().split('\n').at(-1)!) as {
      registered: number;
      found: Array<{ onvifAddress: string; registered: boolean; name: string }>;
      xaddrs: string[];
    };
    expect(result.registered).toBe(201);
    expect(result.found.map((f) => f.onvifAddress).sort()).toEqual([...result.xaddrs].sort());
    expect(result.found.find((f) => f.onvifAddress === result.xaddrs[0])).toMatchObject({ registered: true, name: 'Quay 1' });
    expect(result.found.filter((f) => f.registered)).toHaveLength(1);
  });
});
