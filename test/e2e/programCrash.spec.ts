import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { IngestCreatedDto } from '../../shared/meetings.js';
import type { MeetingRecordingDto, ProgramState } from '../../shared/program.js';
import { probe } from '../support/streamReceiver.js';
import { keepPushing } from '../support/testEncoder.js';
import { apiCall, createMeeting, login } from './helpers.js';
import { HubProcess } from './hubProcess.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const segmentSeconds = 10;

let hub: HubProcess | undefined;
test.afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

test('the hub is killed while a meeting is recorded: what was written stays (at most the last segment’s tail is lost), and the recording goes on after the restart', async () => {
  test.setTimeout(180_000);
  hub = await HubProcess.start({ FEED_MIN_PORT: '19460', FEED_MAX_PORT: '19469' });
  const { port } = hub;
  const meetingId = await createMeeting(port, ['SO-NV']);
  const feed = await apiCall<IngestCreatedDto>(port, 'chu-toa', 'POST', `/api/meetings/${meetingId}/ingests`, {
    name: 'Chính phủ',
    kind: 'rtmp',
  });
  // the encoder pushes again by itself after the hub's restart, as a hardware one does
  const encoder = keepPushing(feed.url, { format: 'flv', bFrames: 0, toneHz: 440, seconds: 120 });
  const connected = async () =>
    (await apiCall<{ ingests: Array<{ connected: boolean }> }>(port, 'chu-toa', 'GET', `/api/meetings/${meetingId}/ingests`)).ingests[0]!
      .connected;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-e2e-crash-'));
  try {
    await expect.poll(connected, { timeout: 30_000 }).toBe(true);
    const recording = await apiCall<MeetingRecordingDto>(port, 'chu-toa', 'POST', `/api/meetings/${meetingId}/recordings`);
    const startedAt = Date.now();
    await sleep(24_000);
    hub.signalGroup('SIGKILL');
    const beforeCrash = (Date.now() - startedAt) / 1000;
    expect(await hub.exitedWithin(5000)).toBe(true);
    // what the crash left on disk: every segment but the last is whole
    const segmentsDir = path.join(hub.dataDir, 'meeting-recordings', meetingId, recording.id);
    const written = fs.readdirSync(segmentsDir).map((name) => ({ name, bytes: fs.statSync(path.join(segmentsDir, name)).size }));
    expect(written.length).toBeGreaterThanOrEqual(2);

    const restartedAt = Date.now();
    await hub.restart();
    // the meeting is still live: its recording goes on, in the same recording, once the feed pushes again
    const program = await apiCall<ProgramState>(port, 'chu-toa', 'GET', `/api/meetings/${meetingId}/program`);
    expect(program.recording?.id).toBe(recording.id);
    await expect.poll(connected, { timeout: 30_000 }).toBe(true);
    const resumedAt = Date.now();
    await sleep(12_000);
    await apiCall(port, 'chu-toa', 'POST', `/api/meetings/${meetingId}/recordings/${recording.id}/stop`);
    // recorded again from the restart (black until the feed pushes again), and with the feed since resumedAt
    const sinceRestart = (Date.now() - restartedAt) / 1000;
    const withTheFeed = (Date.now() - resumedAt) / 1000;

    // nothing written before the crash was written over
    for (const { name, bytes } of written) expect(fs.statSync(path.join(segmentsDir, name)).size, name).toBe(bytes);
    expect(fs.readdirSync(segmentsDir).length).toBeGreaterThan(written.length);

    const { token } = await login(port, 'thu-ky');
    const download = await fetch(`${hub.url}/api/meetings/${meetingId}/recordings/${recording.id}/download`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(download.status).toBe(200);
    const file = path.join(dir, 'recording.mp4');
    fs.writeFileSync(file, Buffer.from(await download.arrayBuffer()));
    const media = await probe(file);
    expect(media.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    // before the crash: all but the tail of the segment being written (and the wait for the first key frame, 2 s)
    expect(media.duration).toBeGreaterThan(beforeCrash - segmentSeconds - 2 + (withTheFeed - 2));
    expect(media.duration).toBeLessThan(beforeCrash + sinceRestart + 1);
  } finally {
    encoder.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
