import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CameraSimulatorFarm } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import type { CameraDto } from '../../shared/cameras.js';
import { defaultSamplePassword } from '../../prisma/index.js';
import { testTempDir } from '../support/tempDirs.js';

const rtspBasePort = 19300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Ranges = { ranges: Array<{ start: string; end: string }> };

/** A hub in its own process group: SIGKILL to the group ends it, its workers and its ffmpeg pulls at once (a power cut, or systemd's kill). */
async function startHub(database: string, recordings: string, key: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn('npx', ['tsx', path.resolve('test/cameras/recordingHub.ts'), database, recordings], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, CAMERA_KEY_HEX: key },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /READY (\S+)/.exec(output);
      if (ready) resolve(ready[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the hub exited (${code}) before it was ready`)));
  });
  return { url, child };
}

function killGroup(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid!, 'SIGKILL');
  return exited;
}

async function call<T>(url: string, method: string, route: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const login = async (url: string, username: string) =>
  (await call<{ token: string }>(url, 'POST', '/api/auth/login', undefined, { username, password: defaultSamplePassword })).token;

function probeSeconds(file: string): number {
  return Number(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim(),
  );
}

describe('recording across a hub killed mid-segment', () => {
  let farm: CameraSimulatorFarm | undefined;
  let hub: ChildProcess | undefined;
  afterAll(async () => {
    if (hub && hub.exitCode === null && hub.signalCode === null) await killGroup(hub);
    await farm?.close();
  });

  it('keeps the segments written before SIGKILL, indexes the cut one, and the new pull resumes recording', async () => {
    farm = await CameraSimulatorFarm.start({ cameras: 1, rtspBasePort, ptzCameras: [] });
    const dir = testTempDir('hub-restart-');
    const database = path.join(dir, 'hub.db');
    const recordings = path.join(dir, 'recordings');
    const key = randomBytes(32).toString('hex');

    const first = await startHub(database, recordings, key);
    hub = first.child;
    const admin = await login(first.url, 'admin');
    const camera = await call<CameraDto>(first.url, 'POST', '/api/cameras', admin, {
      name: 'Quầy 1',
      unitName: 'TTPVHCC',
      counter: 'Quầy 1',
      onvifAddress: farm.xaddr(1),
      username: 'onvif',
      password: 'cam-1-secret',
    });
    await call(first.url, 'PATCH', `/api/cameras/${camera.id}`, admin, { recordMode: 'ALWAYS' });
    // two whole segments and half of the third
    await sleep(25_000);
    const killedAt = Date.now();
    await killGroup(first.child);
    const cameraDir = path.join(recordings, String(camera.id));
    const before = fs.readdirSync(cameraDir).sort();
    expect(before.length).toBeGreaterThanOrEqual(3);
    // every file, the one cut mid-write too, is readable to its last packet
    for (const file of before) expect(probeSeconds(path.join(cameraDir, file))).toBeGreaterThan(1);

    // the hub comes back after office hours: this camera is not recorded now (as if OFFICE_HOURS had ended),
    // yet what was written before the kill is indexed at start-up, the cut segment up to its last packet
    const db = new Database(database);
    db.prepare(`UPDATE "Camera" SET "recordMode" = 'OFF' WHERE "id" = ?`).run(camera.id);
    db.close();
    const second = await startHub(database, recordings, key);
    hub = second.child;
    const supervisor = await login(second.url, 'giam-sat');
    const window = () => `from=${new Date(killedAt - 60_000).toISOString()}&to=${new Date().toISOString()}`;
    const indexed = await call<Ranges>(second.url, 'GET', `/api/cameras/${camera.id}/recordings?${window()}`, supervisor);
    expect(indexed.ranges).toHaveLength(1);
    expect(Date.parse(indexed.ranges[0]!.end)).toBeGreaterThan(killedAt - 2000);

    // recording again: a new pull resumes, the restart's time a gap between the two ranges
    await call(second.url, 'PATCH', `/api/cameras/${camera.id}`, await login(second.url, 'admin'), { recordMode: 'ALWAYS' });
    await sleep(15_000);
    const after = fs.readdirSync(cameraDir).sort();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.length).toBeGreaterThan(before.length);
    const { ranges } = await call<Ranges>(second.url, 'GET', `/api/cameras/${camera.id}/recordings?${window()}`, supervisor);
    expect(ranges).toHaveLength(2);
    expect(ranges[0]).toEqual(indexed.ranges[0]);
    expect(Date.parse(ranges[1]!.start)).toBeGreaterThan(killedAt);
    expect(Date.parse(ranges[1]!.end) - Date.parse(ranges[1]!.start)).toBeGreaterThan(5000);
    await killGroup(second.child);
  }, 120_000);
});
