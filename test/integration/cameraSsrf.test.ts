import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rtspPull } from '../../camera-gateway/index.js';
import { ensureClips } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import { OnvifSimulator, type SimulatedCamera } from '../../camera-gateway/simulator/OnvifSimulator.js';
import { promisify } from 'node:util';
import { request, startTestHub, type TestHub } from './helpers.js';

const run = promisify(execFile);

/** An HTTP server on a loopback address of its own that records who called it with what. */
async function recordingServer(host: string, handle: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const calls: Array<{ url: string; authorization: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    calls.push({ url: req.url ?? '', authorization: req.headers.authorization });
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const base = `http://${host}:${(server.address() as AddressInfo).port}`;
  return { calls, base, close: () => new Promise((resolve) => server.close(resolve)).then(() => server.closeAllConnections()) };
}

const secret = 'internal-service-secret-4f7c';

describe('camera gateway against hostile devices (SSRF, credentials, oversized and slow snapshots)', () => {
  let hub: TestHub;
  let admin: string;
  let simulator: OnvifSimulator;
  /** Another service on the hub's network: nothing a camera says may reach it. */
  let internal: Awaited<ReturnType<typeof recordingServer>>;
  /** A device's web server in the operator's camera subnet (127.0.0.3/32), misbehaving on purpose. */
  let device: Awaited<ReturnType<typeof recordingServer>>;
  const hung: http.ServerResponse[] = [];

  const camera = (id: string, overrides: Partial<SimulatedCamera> = {}): SimulatedCamera => ({
    id,
    name: id,
    location: 'Quầy thử',
    username: 'onvif',
    password: `${id}-password`,
    streams: { main: `rtsp://127.0.0.1:9/${id}/main`, sub: `rtsp://127.0.0.1:9/${id}/sub` },
    encoding: 'H264',
    ptz: false,
    presets: [],
    ...overrides,
  });
  const add = (id: string) =>
    hub.api('POST', '/api/cameras', {
      token: admin,
      body: {
        name: id,
        unitName: 'TTPVHCC',
        counter: id,
        onvifAddress: simulator.xaddr(id),
        username: 'onvif',
        password: `${id}-password`,
      },
    });

  beforeAll(async () => {
    internal = await recordingServer('127.0.0.2', (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(secret));
    device = await recordingServer('127.0.0.3', (req, res) => {
      if (req.url === '/huge') {
        // an endless JPEG with no length: only a cap stops it
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        const chunk = Buffer.alloc(256 * 1024, 0xff);
        const pump = () => {
          while (res.write(chunk));
        };
        res.on('drain', pump);
        pump();
      } else if (req.url === '/slow') {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        hung.push(res);
      } else if (req.url === '/redirect') res.writeHead(302, { location: `${internal.base}/from-redirect` }).end();
      else res.writeHead(200, { 'content-type': 'text/html' }).end(`<p>${secret}</p>`);
    });
    simulator = new OnvifSimulator(
      [
        camera('honest'),
        camera('snapshot-elsewhere', { snapshotUri: `${internal.base}/snapshot.jpg` }),
        camera('http-stream', { streams: { main: `http://127.0.0.1:9/main.mp4`, sub: `rtsp://127.0.0.1:9/sub` } }),
        camera('file-stream', { streams: { main: 'file:///etc/hostname', sub: `rtsp://127.0.0.1:9/sub` } }),
        camera('stream-elsewhere', { streams: { main: `rtsp://127.0.0.2:554/main`, sub: `rtsp://127.0.0.1:9/sub` } }),
        camera('huge', { snapshotUri: `${device.base}/huge` }),
        camera('slow', { snapshotUri: `${device.base}/slow` }),
        camera('redirect', { snapshotUri: `${device.base}/redirect` }),
        camera('page', { snapshotUri: `${device.base}/page` }),
      ],
      { snapshot: fs.readFileSync((await ensureClips()).snapshot) },
    );
    await simulator.start();
    hub = await startTestHub({ cameraSubnets: ['127.0.0.3/32'], snapshotLimits: { maxBytes: 1024 * 1024, timeoutMs: 1500 } });
    admin = await hub.login('admin');
  });
  afterAll(async () => {
    for (const res of hung) res.destroy();
    await hub?.close();
    await simulator?.stop();
    await internal?.close();
    await device?.close();
  });

  it('refuses a device whose snapshot or stream URI points off its host, or is not rtsp/http: the other host hears nothing', async () => {
    for (const [id, code] of [
      ['snapshot-elsewhere', 'HOST_NOT_ALLOWED'],
      ['http-stream', 'PROTOCOL_NOT_ALLOWED'],
      ['file-stream', 'PROTOCOL_NOT_ALLOWED'],
      ['stream-elsewhere', 'HOST_NOT_ALLOWED'],
    ] as const) {
      const refused = await add(id);
      expect(refused.status, id).toBe(502);
      expect(refused.body, id).toMatchObject({
        messageKey: 'camera.uriRefused',
        messageParams: { reason: { key: `cameraRefusal.${code}` } },
      });
      expect(refused.raw.toString(), id).not.toContain(secret);
    }
    expect(internal.calls).toEqual([]);
    expect(await hub.database.prisma.camera.count()).toBe(0);
  });

  it('sends the camera its credentials only when it asks, by digest, and serves the image with nosniff', async () => {
    const added = await add('honest');
    expect(added.status).toBe(201);
    const snapshot = await hub.api('GET', `/api/cameras/${added.body.id}/snapshot`, { token: await hub.login('giam-sat') });
    expect(snapshot.status).toBe(200);
    expect(snapshot.headers.get('content-type')).toBe('image/jpeg');
    expect(snapshot.headers.get('x-content-type-options')).toBe('nosniff');
    const asked = simulator.snapshotRequests.filter((r) => r.cameraId === 'honest');
    expect(asked).toHaveLength(2);
    expect(asked[0]!.authorization).toBeUndefined();
    expect(asked[1]!.authorization).toMatch(/^Digest username="onvif"/);
    expect(asked[1]!.authorization).not.toContain('honest-password');
  });

  it('caps a snapshot in size and time, follows no redirect, passes on nothing but an image, and says only a short code', async () => {
    const supervisor = await hub.login('giam-sat');
    for (const [id, code] of [
      ['huge', 'TOO_LARGE'],
      ['slow', 'TIMEOUT'],
      ['redirect', 'REDIRECTED'],
      ['page', 'NOT_AN_IMAGE'],
    ] as const) {
      const added = await add(id);
      expect(added.status, id).toBe(201);
      const snapshot = await hub.api('GET', `/api/cameras/${added.body.id}/snapshot`, { token: supervisor });
      expect(snapshot.status, id).toBe(502);
      expect(snapshot.body, id).toMatchObject({
        statusCode: 502,
        error: 'Bad Gateway',
        messageKey: 'camera.snapshotFailed',
        messageParams: { reason: { key: `cameraRefusal.${code}` } },
      });
    }
    // the redirect was not followed, and no device that did not ask got a password
    expect(internal.calls).toEqual([]);
    expect(device.calls.map((c) => c.authorization)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('never pulls a stream URI the rules refuse, even one stored before them; ffprobe reads RTSP only', async () => {
    const legacy = await hub.database.prisma.camera.create({
      data: {
        name: 'cũ',
        unitName: 'TTPVHCC',
        counter: 'cũ',
        onvifAddress: 'http://127.0.0.1:9/onvif/device_service',
        username: 'onvif',
        passwordCipher: 'x',
        mainProfileToken: 'main',
        subProfileToken: 'sub',
        mainStreamUri: 'file:///etc/hostname',
        subStreamUri: `${internal.base}/sub`,
        encoding: 'H264',
      },
    });
    await hub.app.cameras.start();
    const station = await hub.connect('giam-sat');
    const joined = await request(station, 'wall:join', {});
    expect(joined.ok).toBe(true);
    for (const profile of ['main', 'sub'] as const) {
      const answer = await request(station, 'wall:watch', { cameraId: legacy.id, profile });
      expect(answer, profile).toMatchObject({ ok: false, error: { code: 'CAMERA_UNREACHABLE', message: /PROTOCOL_NOT_ALLOWED/ } });
    }
    // and should a URI get past the policy, the pull's ffmpeg itself opens nothing but RTSP
    const pull = rtspPull(`${internal.base}/probe.mp4`);
    const refused = run('ffmpeg', ['-v', 'error', ...pull.options, '-i', pull.input, '-f', 'null', '-']);
    refused.child.stdin!.end(pull.script);
    await expect(refused).rejects.toThrow(/Protocol 'http' not on whitelist/);
    expect(internal.calls).toEqual([]);
  });
});
