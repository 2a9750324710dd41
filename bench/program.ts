/**
 * What a meeting's program costs the hub: a feed pushes a 1280×720 25 fps test pattern with a tone
 * (H.264 + AAC over RTMP; the only voice, so the active speaker and the program's picture); the
 * program (1280×720 25 fps, libx264 veryfast 2.5 Mbit/s + AAC) is pushed to an SRT listener on this
 * machine and recorded. Over 30 s: the program's ffmpeg processes (decoder, encoder, push, recording
 * writer) from /proc, the hub's own Node process (RTP, Opus decoding and mixing, pacing, piping),
 * and the recording's bytes, as MB per meeting-hour.
 *   node scripts/with-env.mjs tsx bench/program.ts      (npm run bench:program)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { IngestCreatedDto } from '../shared/meetings.js';
import type { MeetingRecordingDto } from '../shared/program.js';
import { receiveStream } from '../test/support/streamReceiver.js';
import { pushTestPattern } from '../test/support/testEncoder.js';
import { startFeedBenchHub } from './feedHub.js';

const windowS = 30;
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** The program's ffmpeg processes (this process's children; the feed's listener and sender are left out) by role, in CPU ticks. */
function programTicks(): Record<string, number> {
  const roles: Array<[string, RegExp]> = [
    ['decoder', /-f (ivf|h264) -i pipe:0/],
    ['encoder', /-f rawvideo -pix_fmt yuv420p/],
    ['recording', /-f segment/],
    ['push', /-c copy -f (flv|mpegts) (rtmp|srt):/],
  ];
  const ticks: Record<string, number> = Object.fromEntries(roles.map(([role]) => [role, 0]));
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(stat[1]) !== process.pid) continue;
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const role = roles.find(([, pattern]) => pattern.test(command))?.[0];
      if (role) ticks[role]! += Number(stat[11]) + Number(stat[12]);
    } catch {
      // exited
    }
  }
  return ticks;
}

const hub = await startFeedBenchHub('program');
const { call } = hub;
const receiver = receiveStream('srt://127.0.0.1:19720', '/dev/null', windowS + 60);
try {
  const meeting = await hub.liveMeeting();
  const feed = await call<IngestCreatedDto>('POST', `/api/meetings/${meeting.id}/ingests`, { name: 'Chính phủ', kind: 'rtmp' });
  const encoder = pushTestPattern(feed.url, { format: 'flv', bFrames: 0, toneHz: 440, seconds: windowS + 60, size: '1280x720' });
  await call('POST', `/api/meetings/${meeting.id}/outputs`, { url: 'srt://127.0.0.1:19720' });
  const recording = await call<MeetingRecordingDto>('POST', `/api/meetings/${meeting.id}/recordings`);
  // the feed's listener probes 2 s; the program settles on it
  await new Promise((r) => setTimeout(r, 10_000));
  const before = { ffmpeg: programTicks(), node: process.cpuUsage() };
  const listed = async () =>
    (await call<{ recordings: MeetingRecordingDto[] }>('GET', `/api/meetings/${meeting.id}/recordings`)).recordings[0]!;
  const bytesBefore = (await listed()).bytes;
  await new Promise((r) => setTimeout(r, windowS * 1000));
  const after = { ffmpeg: programTicks(), node: process.cpuUsage(before.node) };
  const bytesAfter = (await listed()).bytes;
  const percent = (ticks: number) => ((ticks / ticksPerSecond / windowS) * 100).toFixed(1);
  const roles = Object.keys(after.ffmpeg).map((role) => `${role} ${percent(after.ffmpeg[role]! - before.ffmpeg[role]!)}%`);
  const nodePercent = (((after.node.user + after.node.system) / 1e6 / windowS) * 100).toFixed(1);
  console.log(`program 1280x720 25 fps from a 720p H.264 speaker, pushed over SRT and recorded, % of one core over ${windowS} s:`);
  console.log(
    `  ffmpeg: ${roles.join(', ')}; hub Node process (RTP, Opus mixing, pacing, pipes; with the SFU's signalling): ${nodePercent}%`,
  );
  console.log(`  recording: ${((((bytesAfter - bytesBefore) / windowS) * 3600) / 1024 ** 2).toFixed(0)} MiB per meeting-hour`);
  await call('POST', `/api/meetings/${meeting.id}/recordings/${recording.id}/stop`);
  encoder.kill('SIGKILL');
} finally {
  receiver.process.kill('SIGKILL');
  await hub.close();
}
process.exit(0);
