/**
 * What a feed from outside costs the hub: an encoder pushes a 1280×720 25 fps test pattern with a
 * tone (H.264 + AAC) into a live meeting, over RTMP without B-frames (passed on as it is) and then over
 * SRT with B-frames (transcoded to Constrained Baseline); the hub's two ffmpeg processes per feed (the
 * listener remuxing to MPEG-TS, the RTP sender, which encodes Opus and, for SRT, H.264) are measured
 * from /proc over 30 s each.
 *   node scripts/with-env.mjs tsx bench/feedIngest.ts
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { MediaServer } from '../media-server/index.js';
import { openDatabase, seedSampleData } from '../prisma/index.js';
import type { IngestCreatedDto } from '../shared/meetings.js';
import { buildApp } from '../signalling/index.js';
import { pushTestPattern } from '../test/support/testEncoder.js';
import { signIn } from './signIn.js';

const windowS = 30;
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** utime + stime of the hub's ffmpeg processes for feeds (not the encoder's): the listener and the sender. */
function hubFfmpegTicks(): { ticks: number; processes: number } {
  const pids = execFileSync('pgrep', ['-f', 'ffmpeg -nostdin -loglevel (warning|error) (-listen|-f mpegts -i pipe:0|-i srt)'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited
    }
  }
  return { ticks, processes: pids.length };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-feed-bench-'));
const database = await openDatabase({ provider: 'sqlite', url: path.join(dir, 'hub.db') });
await seedSampleData(database.prisma);
const media = await MediaServer.create({ numWorkers: 1, listenIp: '127.0.0.1', rtcMinPort: 47000, rtcMaxPort: 47999, peersPerRouter: 200 });
const app = await buildApp({
  prisma: database.prisma,
  media,
  logLevel: 'warn',
  cameraKeyFile: path.join(dir, 'camera.key'),
  feeds: { listenIp: '127.0.0.1', minPort: 19700, maxPort: 19709 },
});
await app.http.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
try {
  const { token } = await signIn(base, 'chu-toa');
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  const now = Date.now();
  const meeting = await call<{ id: string }>('POST', '/api/meetings', {
    title: 'Họp Chính phủ với các địa phương (đo)',
    hostLevel: 'GOVERNMENT',
    scheduledStart: new Date(now).toISOString(),
    scheduledEnd: new Date(now + 3_600_000).toISOString(),
    invitedCodes: ['SO-NV'],
  });
  await call('POST', `/api/meetings/${meeting.id}/start`);
  for (const [kind, format, bFrames] of [
    ['rtmp', 'flv', 0],
    ['srt', 'mpegts', 3],
  ] as const) {
    const feed = await call<IngestCreatedDto>('POST', `/api/meetings/${meeting.id}/ingests`, { name: `Chính phủ (${kind})`, kind });
    const encoder = pushTestPattern(feed.url, { format, bFrames, toneHz: 440, seconds: windowS + 20, size: '1280x720' });
    // the listener probes 2 s, then the sender starts: measure once both run steadily
    await new Promise((r) => setTimeout(r, 10_000));
    const before = hubFfmpegTicks();
    await new Promise((r) => setTimeout(r, windowS * 1000));
    const after = hubFfmpegTicks();
    encoder.kill('SIGKILL');
    const percent = ((after.ticks - before.ticks) / ticksPerSecond / windowS) * 100;
    console.log(
      `${kind.toUpperCase()} ${bFrames ? 'with B-frames (transcoded)' : 'without B-frames (passed on)'}: hub ffmpeg ${percent.toFixed(1)}% of one core (${after.processes} processes)`,
    );
    await call('DELETE', `/api/meetings/${meeting.id}/ingests/${feed.id}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
} finally {
  await app.http.close();
  await media.close();
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
