import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgendaDto } from '../../shared/agenda.js';
import type { MeetingState } from '../../shared/meetings.js';
import type { MeetingRecordingDto, ProgramOutputDto } from '../../shared/program.js';
import { commandLinesHolding } from '../support/commandLines.js';
import { chaptersOf, levels, probe, receiveStream } from '../support/streamReceiver.js';
import { testTempDir } from '../support/tempDirs.js';
import { nextEvent, request, startTestHub, type TestHub } from './helpers.js';
import { meetingWithFeed } from './meetingWithFeed.js';

describe("a meeting's program: pushed out over RTMP and SRT, and recorded", () => {
  let hub: TestHub;
  let chair: string;
  let recordingsDir: string;
  const logLines: string[] = [];
  const processes: ChildProcess[] = [];
  const encoders: Array<{ stop(): void }> = [];
  beforeAll(async () => {
    recordingsDir = testTempDir('hub-program-');
    hub = await startTestHub({ feeds: { listenIp: '127.0.0.1', minPort: 19510, maxPort: 19519 }, program: { recordingsDir }, logLines });
    chair = await hub.login('chu-toa');
  });
  afterEach(() => {
    for (const p of processes.splice(0)) p.kill('SIGKILL');
    for (const encoder of encoders.splice(0)) encoder.stop();
  });
  afterAll(async () => hub.close());

  const meetingWithSpeaker = async () => {
    const { encoder, ...meeting } = await meetingWithFeed(hub, chair, 120);
    encoders.push(encoder);
    return meeting;
  };

  const outputs = async (meetingId: string) =>
    (await hub.api<{ outputs: ProgramOutputDto[] }>('GET', `/api/meetings/${meetingId}/outputs`, { token: chair })).body.outputs;

  it('is H.264 with the speakers’ sound at each destination, shows the speaker, and pushes again when a destination comes back', async () => {
    const { meetingId, feed, site } = await meetingWithSpeaker();
    const dir = testTempDir('hub-program-out-');
    const rtmpUrl = 'rtmp://127.0.0.1:19530/live/khoa-bi-mat';
    const srtUrl = 'srt://127.0.0.1:19531?passphrase=mat-khau-dich-den&pbkeylen=16';
    const rtmp = receiveStream(rtmpUrl, path.join(dir, 'rtmp.ts'), 6);
    const srt = receiveStream(srtUrl, path.join(dir, 'srt.ts'), 6);
    processes.push(rtmp.process, srt.process);

    // what a destination may be
    for (const url of ['http://example.org/live', 'srt://127.0.0.1', 'rtmp://', 'rtmp://ten:mat-khau@127.0.0.1/live/khoa']) {
      const refused = await hub.api('POST', `/api/meetings/${meetingId}/outputs`, { token: chair, body: { url } });
      expect(refused.status).toBe(400);
    }
    // an SRT query holds libsrt's options only, each with a value
    for (const query of ['mode=listener', 'passphrase', 'khong-biet=1']) {
      const refused = await hub.api<{ message: string }>('POST', `/api/meetings/${meetingId}/outputs`, {
        token: chair,
        body: { url: `srt://127.0.0.1:19531?${query}` },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/tham số SRT/);
    }
    const added: ProgramOutputDto[] = [];
    for (const url of [rtmpUrl, `${srtUrl}&latency=200000`]) {
      const { status, body } = await hub.api<ProgramOutputDto>('POST', `/api/meetings/${meetingId}/outputs`, {
        token: chair,
        body: { url },
      });
      expect(status).toBe(201);
      added.push(body);
    }
    // the stream key is not shown back, nor kept in clear
    expect(added.map((o) => o.url)).toEqual(['rtmp://127.0.0.1:19530/live/…', 'srt://127.0.0.1:19531']);
    const stored = await hub.database.prisma.meetingOutput.findMany({ where: { meetingId } });
    expect(JSON.stringify(stored)).not.toContain('khoa-bi-mat');

    await expect.poll(async () => (await outputs(meetingId)).map((o) => o.state)).toEqual(['live', 'live']);
    // the key and the passphrase reached the destinations, on no command line of the hub's (only the receivers' own)
    for (const secret of ['khoa-bi-mat', 'mat-khau-dich-den'])
      expect(commandLinesHolding(secret).filter((p) => p.pid !== rtmp.process.pid && p.pid !== srt.process.pid)).toEqual([]);
    const state = await nextEvent(site, 'meeting:state', (s: MeetingState) => s.program.showing === feed.code);
    expect(state.program.outputs).toHaveLength(2);
    expect(await rtmp.ended).toBe(0);
    expect(await srt.ended).toBe(0);
    for (const file of ['rtmp.ts', 'srt.ts']) {
      const media = await probe(path.join(dir, file));
      expect(media.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:aac', 'video:h264']);
      expect(media.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 1280, height: 720 });
      const { meanVolumeDb, meanLuma } = await levels(path.join(dir, file));
      // the feed's tone, mixed in (silence is -91 dB); its test pattern, not a black picture (luma 16)
      expect(meanVolumeDb).toBeGreaterThan(-40);
      expect(meanLuma).toBeGreaterThan(40);
    }

    // both destinations went away: each push is retried until its destination listens again
    await expect.poll(async () => (await outputs(meetingId)).map((o) => o.state)).toEqual(['retrying', 'retrying']);
    const again = receiveStream(rtmpUrl, path.join(dir, 'again.ts'), 3);
    processes.push(again.process);
    expect(await again.ended).toBe(0);
    expect((await probe(path.join(dir, 'again.ts'))).streams).toHaveLength(2);

    const [first] = added;
    expect((await hub.api('DELETE', `/api/meetings/${meetingId}/outputs/${first!.id}`, { token: chair })).status).toBe(204);
    expect((await outputs(meetingId)).map((o) => o.id)).toEqual([added[1]!.id]);
    site.disconnect();
  });

  it('keeps a destination’s stream key and passphrase out of every page, API answer and log line, however its push fails', async () => {
    const { meetingId, site } = await meetingWithSpeaker();
    const heard: string[] = [];
    site.onAny((event: string, payload: unknown) => heard.push(`${event} ${JSON.stringify(payload)}`));
    const secrets = ['khoa-mot-doan-bi-mat', 'mat-khau-srt-bi-mat'];
    // nobody listens on either: the pushes fail and are retried, with their reasons shown to the chair
    const urls = ['rtmp://127.0.0.1:19538/khoa-mot-doan-bi-mat', 'srt://127.0.0.1:19539?passphrase=mat-khau-srt-bi-mat&pbkeylen=16'];
    const answers: string[] = [];
    for (const url of urls) {
      const added = await hub.api<ProgramOutputDto>('POST', `/api/meetings/${meetingId}/outputs`, { token: chair, body: { url } });
      expect(added.status).toBe(201);
      answers.push(JSON.stringify(added.body));
    }
    await expect
      .poll(async () => (await outputs(meetingId)).map((o) => ({ state: o.state, failed: o.error !== null })), { timeout: 120_000 })
      .toEqual([
        { state: 'retrying', failed: true },
        { state: 'retrying', failed: true },
      ]);
    const listed = await outputs(meetingId);
    answers.push(JSON.stringify(listed));
    expect(listed.map((o) => o.url)).toEqual(['rtmp://127.0.0.1:19538/…', 'srt://127.0.0.1:19539']);
    // a reason from the hub's own words, never ffmpeg's line with the URL in it
    for (const output of listed) expect(output.error).not.toMatch(/rtmp:|srt:|127\.0\.0\.1/);
    await expect.poll(() => heard.some((h) => h.startsWith('meeting:state') && h.includes('"retrying"'))).toBe(true);
    for (const secret of secrets) {
      expect(answers.join('\n')).not.toContain(secret);
      expect(heard.join('\n')).not.toContain(secret);
      expect(logLines.join('\n')).not.toContain(secret);
    }
    expect(logLines.some((line) => line.includes('"program output"') && line.includes('"retrying"'))).toBe(true);
    site.disconnect();
  });

  it('records the program while the chair says so; every page is told; the secretariat downloads it as one MP4 of that length, a chapter per agenda item', async () => {
    const { meetingId, site } = await meetingWithSpeaker();
    const { body: agenda } = await hub.api<AgendaDto>('PUT', `/api/meetings/${meetingId}/agenda`, {
      token: chair,
      body: {
        items: [
          { title: 'Báo cáo tình hình; số liệu = quý IV', presenterCode: null, plannedMinutes: 10 },
          { title: 'Thảo luận', presenterCode: null, plannedMinutes: 20 },
        ],
      },
    });
    const chairSocket = await hub.connect('chu-toa');
    await request(chairSocket, 'meeting:join', { meetingId });
    const recordingNotice = nextEvent(site, 'meeting:state', (s: MeetingState) => s.program.recording !== null);
    const started = await hub.api<MeetingRecordingDto>('POST', `/api/meetings/${meetingId}/recordings`, { token: chair });
    expect(started.status).toBe(201);
    expect((await recordingNotice).program.recording).toMatchObject({ id: started.body.id, startedBy: expect.any(String) });
    await request(chairSocket, 'chair:agendaItem', { itemId: agenda.items[0]!.id });
    const twice = await hub.api('POST', `/api/meetings/${meetingId}/recordings`, { token: chair });
    expect(twice.status).toBe(409);

    const secretariat = await hub.login('thu-ky');
    const recordings = async () =>
      (await hub.api<{ recordings: MeetingRecordingDto[] }>('GET', `/api/meetings/${meetingId}/recordings`, { token: secretariat })).body
        .recordings;
    // segments of 10 s: a crash loses at most the one being written; stopped once the first is whole
    await expect.poll(async () => (await recordings())[0]!.segments, { timeout: 90_000, interval: 500 }).toBeGreaterThanOrEqual(2);
    await request(chairSocket, 'chair:agendaItem', { itemId: agenda.items[1]!.id });
    const noticeGone = nextEvent(site, 'meeting:state', (s: MeetingState) => s.program.recording === null);
    const stopped = await hub.api<MeetingRecordingDto>('POST', `/api/meetings/${meetingId}/recordings/${started.body.id}/stop`, {
      token: chair,
    });
    expect(stopped.status).toBe(200);
    await noticeGone;

    const listed = await recordings();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: started.body.id, endedAt: expect.any(String), stoppedBy: expect.any(String) });
    expect(listed[0]!.segments).toBeGreaterThanOrEqual(2);
    const segmentsDir = path.join(recordingsDir, meetingId, started.body.id);
    let recordedSeconds = 0;
    for (const segment of fs.readdirSync(segmentsDir)) recordedSeconds += (await probe(path.join(segmentsDir, segment))).duration;
    // a whole segment and more was written
    expect(recordedSeconds).toBeGreaterThan(10);

    const download = await hub.api('GET', `/api/meetings/${meetingId}/recordings/${started.body.id}/download`, { token: secretariat });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('video/mp4');
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(download.headers.get('content-disposition')!)![1]!)).toMatch(
      new RegExp(`^Ghi hình \\d{4}-\\d\\d-\\d\\d .+ \\(${started.body.id}\\)\\.mp4$`),
    );
    const file = path.join(testTempDir('hub-program-dl-'), 'meeting.mp4');
    fs.writeFileSync(file, download.raw);
    const media = await probe(file);
    // the picture, the sound, and the chapters' own track (MP4 keeps chapters as a text track the players read)
    expect(media.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:aac', 'data:bin_data', 'video:h264']);
    // every segment, one after the other
    expect(media.duration).toBeGreaterThan(recordedSeconds - 0.5);
    expect(media.duration).toBeLessThan(recordedSeconds + 0.5);
    expect((await levels(file)).meanVolumeDb).toBeGreaterThan(-40);
    // the agenda's items as chapters, in order, from the recording's start to its end
    const chapters = (await chaptersOf(file)).map((c) => ({ title: c.tags.title, start: Number(c.start_time), end: Number(c.end_time) }));
    expect(chapters.map((c) => c.title)).toEqual(['1. Báo cáo tình hình; số liệu = quý IV', '2. Thảo luận']);
    expect(chapters[0]!.start).toBeGreaterThanOrEqual(0);
    expect(chapters[1]!.start).toBeGreaterThan(chapters[0]!.start);
    expect(chapters[1]!.start).toBeCloseTo(chapters[0]!.end, 2);

    // who started, stopped and downloaded it
    const actions = await hub.database.prisma.chairAction.findMany({ where: { meetingId, action: { startsWith: 'recording' } } });
    expect(actions.map((a) => a.action)).toEqual(['recordingStart', 'recordingStop']);
    const audit = await hub.database.prisma.auditEntry.findMany({
      where: { target: `meeting:${meetingId}`, action: { startsWith: 'meeting.recording' } },
    });
    expect(audit.map((a) => `${a.action}:${a.actorName}`)).toEqual([
      expect.stringMatching(/^meeting\.recording\.start:/),
      expect.stringMatching(/^meeting\.recording\.stop:/),
      expect.stringMatching(/^meeting\.recording\.download:/),
    ]);
    // a bridge point may not
    const site2 = await hub.login('so-nv');
    expect((await hub.api('GET', `/api/meetings/${meetingId}/recordings`, { token: site2 })).status).toBe(403);

    // the meeting's end stops a recording under way
    const second = await hub.api<MeetingRecordingDto>('POST', `/api/meetings/${meetingId}/recordings`, { token: chair });
    expect(second.status).toBe(201);
    await expect
      .poll(async () => (await recordings()).find((r) => r.id === second.body.id)?.segments, { timeout: 60_000 })
      .toBeGreaterThan(0);
    expect((await hub.api('POST', `/api/meetings/${meetingId}/end`, { token: chair })).status).toBe(200);
    await expect
      .poll(async () => (await hub.database.prisma.meetingRecording.findUniqueOrThrow({ where: { id: second.body.id } })).endedAt)
      .not.toBeNull();
    expect((await hub.api('POST', `/api/meetings/${meetingId}/recordings`, { token: chair })).status).toBe(409);
    site.disconnect();
  });
});
