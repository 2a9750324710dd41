import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingState } from '../../shared/meetings.js';
import type { MeetingRecordingDto, ProgramState } from '../../shared/program.js';
import { childProcesses } from '../support/childProcesses.js';
import { probe } from '../support/streamReceiver.js';
import { testTempDir } from '../support/tempDirs.js';
import { nextEvent, startTestHub, type TestHub } from './helpers.js';
import { meetingWithFeed } from './meetingWithFeed.js';

/** The recordings' own disk: 64 MB, of which 32 MB must stay free. */
const diskBytes = 64 * 1024 ** 2;
const minFreeBytes = 32 * 1024 ** 2;

/**
 * A meeting's recording when things go wrong under it: the disk nearly full, the composer or the
 * writer killed. The chair's stop and the meeting's end always stand, and no empty file is left.
 */
describe("a meeting's recording on a filling disk, and with its processes killed", () => {
  let hub: TestHub;
  let chair: string;
  let recordingsDir: string;
  const encoders: Array<{ stop(): void }> = [];
  beforeAll(async () => {
    recordingsDir = testTempDir('hub-meeting-disk-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${diskBytes}`, 'tmpfs', recordingsDir]);
    hub = await startTestHub({
      feeds: { listenIp: '127.0.0.1', minPort: 19550, maxPort: 19559 },
      program: { recordingsDir, minFreeBytes, spaceCheckMs: 250 },
    });
    chair = await hub.login('chu-toa');
  });
  afterEach(() => {
    for (const encoder of encoders.splice(0)) encoder.stop();
    fs.rmSync(ballast(), { force: true });
  });
  afterAll(async () => {
    await hub?.close();
    execFileSync('umount', [recordingsDir]);
  });

  const ballast = () => path.join(recordingsDir, 'ballast.bin');
  /** Another program's files, leaving half the minimum free. */
  const fillDisk = () => {
    const { bavail, bsize } = fs.statfsSync(recordingsDir);
    fs.writeFileSync(ballast(), Buffer.alloc(Math.max(0, bavail * bsize - minFreeBytes / 2)));
  };

  const liveMeeting = async () => {
    const { encoder, ...meeting } = await meetingWithFeed(hub, chair, 180);
    encoders.push(encoder);
    return meeting;
  };
  const startRecording = (meetingId: string) =>
    hub.api<MeetingRecordingDto>('POST', `/api/meetings/${meetingId}/recordings`, { token: chair });
  const segmentsOf = (dir: string) =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .sort()
          .map((name) => ({ name, bytes: fs.statSync(path.join(dir, name)).size }))
      : [];
  /** The recording's writer (ffmpeg's segment muxer into `dir`), a child of this process. */
  const writers = (dir: string) => childProcesses((line) => line.includes('ffmpeg') && line.includes(dir));
  /** The composer's encoder: raw picture on fd 3, sound on fd 4, H.264 out. */
  const composers = () => childProcesses((line) => line.includes('ffmpeg') && line.includes('pipe:4') && line.includes('libx264'));

  it('pauses while the disk is nearly full, with a notice on every page; goes on by itself when there is room; leaves no empty file', async () => {
    const { meetingId, site } = await liveMeeting();
    const started = await startRecording(meetingId);
    expect(started.status).toBe(201);
    const dir = path.join(recordingsDir, meetingId, started.body.id);
    await expect.poll(() => segmentsOf(dir).length, { timeout: 90_000 }).toBeGreaterThanOrEqual(2);

    const paused = nextEvent(site, 'meeting:state', (s: MeetingState) => s.program.recording?.paused === true);
    fillDisk();
    expect((await paused).program.recording).toMatchObject({ id: started.body.id, paused: true });
    const program = await hub.api<ProgramState>('GET', `/api/meetings/${meetingId}/program`, { token: chair });
    expect(program.body.recording).toMatchObject({ id: started.body.id, paused: true });
    // the writer finished its segment and is gone: nothing is written until there is room
    await expect.poll(() => writers(dir)).toEqual([]);
    const beforeRoom = segmentsOf(dir);
    expect(beforeRoom.filter((s) => s.bytes === 0)).toEqual([]);

    const resumed = nextEvent(site, 'meeting:state', (s: MeetingState) => s.program.recording?.paused === false);
    fs.rmSync(ballast());
    await resumed;
    // written again, into new segments after the ones before the pause
    await expect.poll(() => segmentsOf(dir).length, { timeout: 90_000 }).toBeGreaterThan(beforeRoom.length + 1);
    expect(
      segmentsOf(dir)
        .slice(0, beforeRoom.length)
        .map((s) => s.name),
    ).toEqual(beforeRoom.map((s) => s.name));
    const stopped = await hub.api<MeetingRecordingDto>('POST', `/api/meetings/${meetingId}/recordings/${started.body.id}/stop`, {
      token: chair,
    });
    expect(stopped.status).toBe(200);
    const written = segmentsOf(dir);
    expect(written.filter((s) => s.bytes === 0)).toEqual([]);
    for (const segment of written) expect((await probe(path.join(dir, segment.name))).duration, segment.name).toBeGreaterThan(0);

    // a recording is not started on a disk that is nearly full: the chair is told why, in Vietnamese
    fillDisk();
    const refused = await startRecording(meetingId);
    expect(refused.status).toBe(507);
    expect((refused.body as unknown as { message: string }).message).toMatch(/^Ổ đĩa lưu bản ghi hình sắp đầy/);
    expect(await hub.database.prisma.meetingRecording.count({ where: { meetingId, endedAt: null } })).toBe(0);
    site.disconnect();
  });

  it('answers the stop and the meeting’s end with 2xx when the composer and the writer were killed', async () => {
    const { meetingId, site } = await liveMeeting();
    const first = await startRecording(meetingId);
    const firstDir = path.join(recordingsDir, meetingId, first.body.id);
    await expect.poll(() => segmentsOf(firstDir).length, { timeout: 90_000 }).toBeGreaterThanOrEqual(1);
    // killed as a crash or the kernel's OOM killer would
    const killed = [...composers(), ...writers(firstDir)];
    expect(killed.length).toBeGreaterThanOrEqual(2);
    for (const pid of killed) process.kill(pid, 'SIGKILL');
    const stopped = await hub.api<MeetingRecordingDto>('POST', `/api/meetings/${meetingId}/recordings/${first.body.id}/stop`, {
      token: chair,
    });
    expect(stopped.status).toBe(200);
    expect(stopped.body.endedAt).not.toBeNull();

    const second = await startRecording(meetingId);
    expect(second.status).toBe(201);
    const secondDir = path.join(recordingsDir, meetingId, second.body.id);
    await expect.poll(() => segmentsOf(secondDir).length, { timeout: 90_000 }).toBeGreaterThanOrEqual(1);
    for (const pid of [...composers(), ...writers(secondDir)]) process.kill(pid, 'SIGKILL');
    expect((await hub.api('POST', `/api/meetings/${meetingId}/end`, { token: chair })).status).toBe(200);
    await expect
      .poll(async () => (await hub.database.prisma.meetingRecording.findUniqueOrThrow({ where: { id: second.body.id } })).endedAt)
      .not.toBeNull();
    // nothing of the meeting's program is left running, and nothing empty on disk
    await expect.poll(() => [...composers(), ...writers(firstDir), ...writers(secondDir)]).toEqual([]);
    for (const dir of [firstDir, secondDir]) expect(segmentsOf(dir).filter((s) => s.bytes === 0)).toEqual([]);
    site.disconnect();
  });
});
