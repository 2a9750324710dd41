import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { MediaServer } from '../media-server/index.js';
import { openDatabase, seedSampleData } from '../prisma/index.js';
import { buildApp, type AppDeps } from '../hub/index.js';
import { hubRequest } from './hubRequest.js';
import { signIn } from './signIn.js';

export interface FeedBenchHub {
  /** The chair's REST call (a 2xx answer's JSON, else an error). */
  call: <T>(method: string, url: string, body?: unknown) => Promise<T>;
  /** The hub's SFU (in this process): its rooms and workers, for what a bench reads of them. */
  media: MediaServer;
  /** A live meeting of the Government's kind, with one invited site. */
  liveMeeting(): Promise<{ id: string }>;
  close(): Promise<void>;
}

/**
 * The hub the feed and program benches measure: in this process (so its Node CPU is the bench's), one
 * worker, SQLite with the sample data, feeds listening on 19700–19709, the chair signed in.
 */
export async function startFeedBenchHub(name: string, extra: Pick<AppDeps, 'sip'> = {}): Promise<FeedBenchHub> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hub-${name}-bench-`));
  const database = await openDatabase({ provider: 'sqlite', url: path.join(dir, 'hub.db') });
  await seedSampleData(database.prisma);
  const media = await MediaServer.create({
    numWorkers: 1,
    listenIp: '127.0.0.1',
    rtcMinPort: 47000,
    rtcMaxPort: 47999,
    peersPerRouter: 200,
  });
  const app = await buildApp({
    prisma: database.prisma,
    media,
    logLevel: 'warn',
    cameraKeyFile: path.join(dir, 'camera.key'),
    feeds: { listenIp: '127.0.0.1', minPort: 19700, maxPort: 19709 },
    program: { recordingsDir: path.join(dir, 'recordings') },
    ...extra,
  });
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
  const { token } = await signIn(base, 'chu-toa');
  const call = <T>(method: string, url: string, body?: unknown) => hubRequest<T>(base, token, method, url, body);
  return {
    call,
    media,
    async liveMeeting() {
      const now = Date.now();
      const meeting = await call<{ id: string }>('POST', '/api/meetings', {
        title: 'Họp Chính phủ với các địa phương (đo)',
        hostLevel: 'GOVERNMENT',
        scheduledStart: new Date(now).toISOString(),
        scheduledEnd: new Date(now + 3_600_000).toISOString(),
        invitedCodes: ['SO-NV'],
      });
      await call('POST', `/api/meetings/${meeting.id}/start`);
      return meeting;
    },
    async close() {
      await app.http.close();
      await media.close();
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
