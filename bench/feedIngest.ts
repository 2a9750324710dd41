/**
 * What a feed from outside costs the hub: an encoder pushes a 1280×720 25 fps test pattern with a
 * tone (H.264 + AAC) into a live meeting, over RTMP without B-frames (passed on as it is) and then over
 * SRT with B-frames (transcoded to Constrained Baseline); the hub's two ffmpeg processes per feed (the
 * listener remuxing to MPEG-TS, the RTP sender, which encodes Opus and, for SRT, H.264) are measured
 * from /proc over 30 s each, and the hub's Node process (this one: for RTMP, the gate reads every chunk).
 *   node scripts/with-env.mjs tsx bench/feedIngest.ts
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { IngestCreatedDto } from '../shared/meetings.js';
import { pushTestPattern } from '../test/support/testEncoder.js';
import { startFeedBenchHub } from './feedHub.js';

const windowS = 30;
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** utime + stime of the hub's ffmpeg processes for feeds (not the encoder's): the listener and the sender. */
function hubFfmpegTicks(): { ticks: number; processes: number } {
  const pids = execFileSync('pgrep', ['-f', 'ffmpeg -nostdin -loglevel (warning|error) (-f flv -i pipe:0|-f mpegts -i pipe:0|-i srt)'], {
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

const hub = await startFeedBenchHub('feed');
const { call } = hub;
try {
  const meeting = await hub.liveMeeting();
  for (const [kind, format, bFrames] of [
    ['rtmp', 'flv', 0],
    ['srt', 'mpegts', 3],
  ] as const) {
    const feed = await call<IngestCreatedDto>('POST', `/api/meetings/${meeting.id}/ingests`, { name: `Chính phủ (${kind})`, kind });
    const encoder = pushTestPattern(feed.url, { format, bFrames, toneHz: 440, seconds: windowS + 20, size: '1280x720' });
    // the listener probes 2 s, then the sender starts: measure once both run steadily
    await new Promise((r) => setTimeout(r, 10_000));
    const before = hubFfmpegTicks();
    const nodeBefore = process.cpuUsage();
    await new Promise((r) => setTimeout(r, windowS * 1000));
    const after = hubFfmpegTicks();
    const node = process.cpuUsage(nodeBefore);
    const nodePercent = ((node.user + node.system) / 1e6 / windowS) * 100;
    encoder.kill('SIGKILL');
    const percent = ((after.ticks - before.ticks) / ticksPerSecond / windowS) * 100;
    console.log(
      `${kind.toUpperCase()} ${bFrames ? 'with B-frames (transcoded)' : 'without B-frames (passed on)'}: hub ffmpeg ${percent.toFixed(1)}% of one core (${after.processes} processes), hub Node ${nodePercent.toFixed(1)}%`,
    );
    await call('DELETE', `/api/meetings/${meeting.id}/ingests/${feed.id}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
} finally {
  await hub.close();
}
process.exit(0);
